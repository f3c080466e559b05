'use client';

import { useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import type { ForceGraphMethods } from 'react-force-graph-2d';
import { RELATIONSHIP_KIND_COLOURS, relationshipLabel } from '@quire/domain/bible/relationships';
import type { CastMember, RelationshipDto } from '@/server/bible/relationships';
import { formatCount } from '@/components/ui/format';

interface GraphNode {
  id: string;
  name: string;
  role: string;
  degree: number;
  x?: number;
  y?: number;
}
interface GraphLink {
  id: string;
  source: string | GraphNode;
  target: string | GraphNode;
  colour: string;
  label: string;
  mutual: boolean;
}

/** Node colours by role in the story, so the leads stand out in a crowd. */
const ROLE_COLOURS: Record<string, string> = {
  protagonist: '#b45309', antagonist: '#b91c1c', deuteragonist: '#c2410c', love_interest: '#be185d', mentor: '#0369a1',
  supporting: '#047857', minor: '#78716c', other: '#78716c',
};

// react-force-graph-2d draws on a canvas and needs the window: loaded on the client only, once
type ForceGraphProps = Record<string, unknown>;
let loaded: Promise<ComponentType<ForceGraphProps>> | null = null;
function loadForceGraph(): Promise<ComponentType<ForceGraphProps>> {
  loaded ??= import('react-force-graph-2d').then((m) => m.default as unknown as ComponentType<ForceGraphProps>);
  return loaded;
}

/**
 * The cast as a force-directed graph: pan and zoom with the wheel or a drag on the background, drag a character to
 * pin it, click one to open its profile. Readable at a few hundred characters: sizes follow the number of
 * relationships, names show for the well-connected at any zoom and for everyone once zoomed in.
 */
export function GraphCanvas({
  characters,
  relationships,
  onOpen,
  onSelectLink,
  onEngineStop,
  height: fixedHeight,
}: {
  characters: CastMember[];
  relationships: RelationshipDto[];
  onOpen: (characterId: string) => void;
  onSelectLink?: (relationshipId: string) => void;
  /** the layout has settled (the benchmark times it) */
  onEngineStop?: () => void;
  /** the frame's height; by default it follows the width, so a phone's narrow frame is not a tall empty band */
  height?: number;
}) {
  const [ForceGraph, setForceGraph] = useState<ComponentType<ForceGraphProps> | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const height = fixedHeight ?? Math.min(560, Math.max(360, Math.round(width * 1.1)));
  useEffect(() => {
    let live = true;
    loadForceGraph().then((c) => live && setForceGraph(() => c));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(280, Math.floor(entry!.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // keep node objects (and their positions) across refetches, so a co-writer's change does not reshuffle the layout
  const nodes = useRef(new Map<string, GraphNode>());
  const data = useMemo(() => {
    const degree = new Map<string, number>();
    for (const r of relationships) {
      degree.set(r.fromId, (degree.get(r.fromId) ?? 0) + 1);
      degree.set(r.toId, (degree.get(r.toId) ?? 0) + 1);
    }
    const next = new Map<string, GraphNode>();
    for (const c of characters) {
      const node = nodes.current.get(c.id) ?? { id: c.id, name: c.name, role: c.role, degree: 0 };
      node.name = c.name;
      node.role = c.role;
      node.degree = degree.get(c.id) ?? 0;
      next.set(c.id, node);
    }
    nodes.current = next;
    const links: GraphLink[] = relationships
      .filter((r) => next.has(r.fromId) && next.has(r.toId))
      .map((r) => ({ id: r.id, source: r.fromId, target: r.toId, colour: RELATIONSHIP_KIND_COLOURS[r.kind], label: relationshipLabel(r), mutual: r.mutual }));
    return { nodes: [...next.values()], links };
  }, [characters, relationships]);

  const maxDegree = Math.max(1, ...data.nodes.map((n) => n.degree));
  const crowded = data.nodes.length > 60;

  // a small cast spreads out so names do not overlap; a crowd stays compact. The first settled layout fills the frame.
  const graph = useRef<ForceGraphMethods | undefined>(undefined);
  const fitted = useRef(false);
  useEffect(() => {
    const forces = graph.current;
    if (!forces) return;
    (forces.d3Force('charge') as unknown as { strength?: (n: number) => unknown } | undefined)?.strength?.(crowded ? -45 : -260);
    (forces.d3Force('link') as unknown as { distance?: (n: number) => unknown } | undefined)?.distance?.(crowded ? 30 : 90);
    forces.d3ReheatSimulation();
  }, [ForceGraph, crowded]);

  return (
    <div ref={box} className="relative w-full overflow-hidden rounded-lg border border-stone-200 bg-white" style={{ height }} data-testid="relationship-graph"
      role="img" aria-label={`Relationship graph of ${formatCount(characters.length, 'character')} and ${formatCount(relationships.length, 'relationship')}. The Table view lists the same relationships.`}>
      {ForceGraph ? (
        <ForceGraph
          ref={graph}
          graphData={data}
          width={width}
          height={height}
          nodeId="id"
          nodeLabel={(n: GraphNode) => `${n.name} — ${n.degree} relationship${n.degree === 1 ? '' : 's'}`}
          linkLabel={(l: GraphLink) => l.label}
          linkColor={(l: GraphLink) => l.colour}
          linkWidth={crowded ? 0.6 : 1.5}
          linkDirectionalArrowLength={(l: GraphLink) => (l.mutual ? 0 : crowded ? 3 : 5)}
          linkDirectionalArrowRelPos={0.9}
          cooldownTicks={crowded ? 120 : 200}
          warmupTicks={crowded ? 40 : 0}
          enableNodeDrag
          onEngineStop={() => {
            if (!fitted.current) {
              fitted.current = true;
              graph.current?.zoomToFit(400, 48);
            }
            onEngineStop?.();
          }}
          onNodeClick={(n: GraphNode) => onOpen(n.id)}
          onLinkClick={(l: GraphLink) => onSelectLink?.(l.id)}
          onNodeDragEnd={(n: GraphNode & { fx?: number; fy?: number }) => {
            n.fx = n.x;
            n.fy = n.y;
          }}
          nodeCanvasObject={(n: GraphNode, ctx: CanvasRenderingContext2D, scale: number) => {
            const r = 3 + 7 * Math.sqrt(n.degree / maxDegree);
            ctx.beginPath();
            ctx.arc(n.x ?? 0, n.y ?? 0, r, 0, 2 * Math.PI);
            ctx.fillStyle = ROLE_COLOURS[n.role] ?? '#57534e';
            ctx.fill();
            if (!crowded || scale > 1.6 || n.degree >= maxDegree * 0.5) {
              const size = Math.max(10 / scale, 2);
              ctx.font = `${size}px system-ui, sans-serif`;
              ctx.textAlign = 'center';
              ctx.textBaseline = 'top';
              ctx.lineWidth = size / 4;
              ctx.strokeStyle = 'rgba(255,255,255,0.9)';
              ctx.strokeText(n.name, n.x ?? 0, (n.y ?? 0) + r + 1);
              ctx.fillStyle = '#1c1917';
              ctx.fillText(n.name, n.x ?? 0, (n.y ?? 0) + r + 1);
            }
          }}
          nodePointerAreaPaint={(n: GraphNode, colour: string, ctx: CanvasRenderingContext2D) => {
            ctx.fillStyle = colour;
            ctx.beginPath();
            ctx.arc(n.x ?? 0, n.y ?? 0, 10, 0, 2 * Math.PI);
            ctx.fill();
          }}
        />
      ) : (
        <p className="p-4 text-sm text-stone-500">Drawing the graph…</p>
      )}
    </div>
  );
}
