import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import type { RelationshipKind } from '@quire/domain/bible/relationships';
import { readArcs, type ArcTargets, type PlacedArc } from './arcs';
import { getCharacter, type CharacterDto } from './characters';
import { getMentionsOverview, type ChapterMentions } from './mentions';
import { canWrite, getRelationshipGraph, roleIn } from './relationships';

/** Everything the profile page shows about one character, read as the caller. */
export interface CharacterProfile {
  character: CharacterDto;
  canEdit: boolean;
  /** the relationships this character is part of, seen from their side */
  relationships: Array<{ id: string; kind: RelationshipKind; label: string; description: string; mutual: boolean; outgoing: boolean; other: { id: string; name: string } }>;
  appearances: { total: number; chapters: ChapterMentions[]; scannedDocuments: number; documents: number };
  arcs: PlacedArc[];
  targets: ArcTargets;
}

export async function getCharacterProfile(pool: Pool, claims: Claims, projectId: string, characterId: string): Promise<CharacterProfile | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  const character = await getCharacter(pool, claims, characterId);
  if (!character) return null;
  const [base, graph, mentions] = await Promise.all([
    withUser(pool, claims, async (tx) => {
      const role = await roleIn(tx, project.data);
      // the character must be of this project: its arcs are read with the project in the filter
      const owned = await tx.query('select 1 from public.characters where id = $1 and project_id = $2', [character.id, project.data]);
      if (!role || !owned.rowCount) return null;
      return { canEdit: canWrite(role), ...(await readArcs(tx, project.data, character.id)) };
    }),
    getRelationshipGraph(pool, claims, project.data),
    getMentionsOverview(pool, claims, project.data),
  ]);
  if (!base || !graph || !mentions) return null;
  const names = new Map(graph.characters.map((c) => [c.id, c.name]));
  const mine = mentions.characters.find((c) => c.character.id === character.id);
  return {
    character,
    canEdit: base.canEdit,
    relationships: graph.relationships
      .filter((r) => r.fromId === character.id || r.toId === character.id)
      .map((r) => {
        const outgoing = r.fromId === character.id;
        const otherId = outgoing ? r.toId : r.fromId;
        return { id: r.id, kind: r.kind, label: r.label, description: r.description, mutual: r.mutual, outgoing, other: { id: otherId, name: names.get(otherId) ?? '' } };
      }),
    appearances: { total: mine?.total ?? 0, chapters: mine?.chapters ?? [], scannedDocuments: mentions.scannedDocuments, documents: mentions.documents },
    arcs: base.arcs,
    targets: base.targets,
  };
}
