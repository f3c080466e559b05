'use client';

import Link from 'next/link';
import { LOCATION_KIND_LABELS } from '@quire/domain/bible/locations';
import type { LocationDto } from '@/server/bible/locations';
import { Button } from '@/components/ui';
import { PictureUpload } from '@/components/storage/PictureUpload';

interface LocationProfileProps {
  projectId: string;
  location: LocationDto;
  /** the places it sits within, outermost first */
  path: LocationDto[];
  canEdit: boolean;
  onUpload(file: File): Promise<string | null>;
  onRemovePicture(): Promise<string | null>;
  onEdit(): void;
  onClose(): void;
}

/** One place: its picture, where it sits, what it is, and links to its events. */
export function LocationProfile({ projectId, location, path, canEdit, onUpload, onRemovePicture, onEdit, onClose }: LocationProfileProps) {
  return (
    <section
      aria-labelledby="location-profile-name"
      className="space-y-4 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="location-profile"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <h3 id="location-profile-name" className="font-serif text-xl text-ink">{location.name}</h3>
          <p className="text-sm text-stone-600">
            {LOCATION_KIND_LABELS[location.kind]}
            {path.length ? <> · within {path.map((p) => p.name).join(' › ')}</> : null}
          </p>
        </div>
        {canEdit ? <Button size="sm" variant="secondary" onClick={onEdit} aria-label={`Edit the details of ${location.name}`}>Edit</Button> : null}
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close the place">Close</Button>
      </div>
      <PictureUpload subject={location.name} picture={location.picture} canEdit={canEdit} onUpload={onUpload} onRemove={onRemovePicture} />
      {location.summary ? <p className="text-sm text-ink">{location.summary}</p> : null}
      {location.description ? <p className="whitespace-pre-line text-sm text-stone-700">{location.description}</p> : null}
      <p className="flex flex-wrap gap-3 text-sm">
        <Link href={`/projects/${projectId}/timeline?locationId=${location.id}`} className="text-accent underline">
          {location.events} event{location.events === 1 ? '' : 's'} on the timeline
        </Link>
        <span className="text-stone-600">named {location.mentions} time{location.mentions === 1 ? '' : 's'} in the text</span>
      </p>
    </section>
  );
}
