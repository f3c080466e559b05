'use client';

import Link from 'next/link';
import { RELATIONSHIP_KIND_COLOURS, relationshipLabel } from '@quire/domain/bible/relationships';
import type { CastMember, RelationshipDto } from '@/server/bible/relationships';
import { Button } from '@/components/ui';

/** The graph's data as a table: what a screen reader, a keyboard or a printout gets. */
export function RelationshipTable({
  projectId,
  characters,
  relationships,
  documents,
  canEdit,
  onEdit,
  onDelete,
}: {
  projectId: string;
  characters: CastMember[];
  relationships: RelationshipDto[];
  documents: Array<{ id: string; title: string }>;
  canEdit: boolean;
  onEdit: (r: RelationshipDto) => void;
  onDelete: (r: RelationshipDto) => void;
}) {
  const name = new Map(characters.map((c) => [c.id, c.name]));
  const doc = new Map(documents.map((d) => [d.id, d.title]));
  const profile = (id: string) => (
    <Link href={`/projects/${projectId}/characters/${id}`} className="font-medium text-ink underline-offset-2 hover:underline">{name.get(id) ?? '—'}</Link>
  );
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="relationship-table">
        <caption className="sr-only">Relationships between characters: who, how, which way, and where it changes</caption>
        <thead className="bg-stone-50 text-xs uppercase tracking-wide text-stone-600">
          <tr>
            <th scope="col" className="px-3 py-2">From</th>
            <th scope="col" className="px-3 py-2">Type</th>
            <th scope="col" className="px-3 py-2">To</th>
            <th scope="col" className="px-3 py-2">Direction</th>
            <th scope="col" className="hidden px-3 py-2 md:table-cell">Description</th>
            <th scope="col" className="hidden px-3 py-2 md:table-cell">Changes at</th>
            {canEdit ? <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {relationships.map((r) => (
            <tr key={r.id} className="border-t border-stone-100" data-testid="relationship-row">
              <td className="px-3 py-2">{profile(r.fromId)}</td>
              <td className="px-3 py-2">
                <span className="inline-flex items-center gap-1.5">
                  <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: RELATIONSHIP_KIND_COLOURS[r.kind] }} />
                  {relationshipLabel(r)}
                </span>
              </td>
              <td className="px-3 py-2">{profile(r.toId)}</td>
              <td className="px-3 py-2 text-stone-600">{r.mutual ? 'Mutual' : 'One way'}</td>
              <td className="hidden max-w-xs truncate px-3 py-2 text-stone-600 md:table-cell">{r.description}</td>
              <td className="hidden px-3 py-2 text-stone-600 md:table-cell">
                {r.changesAtDocumentId ? (
                  <Link className="underline" href={`/projects/${projectId}/documents/${r.changesAtDocumentId}`}>{doc.get(r.changesAtDocumentId) ?? 'Document'}</Link>
                ) : null}
                {r.changesNote ? <span className="block text-xs">{r.changesNote}</span> : null}
              </td>
              {canEdit ? (
                <td className="whitespace-nowrap px-3 py-2 text-right">
                  <Button size="sm" variant="secondary" onClick={() => onEdit(r)} aria-label={`Edit ${name.get(r.fromId)} – ${name.get(r.toId)}`}>Edit</Button>{' '}
                  <Button size="sm" variant="ghost" onClick={() => onDelete(r)} aria-label={`Delete ${name.get(r.fromId)} – ${name.get(r.toId)}`}>Delete</Button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
