'use client';

import { useEffect, useState } from 'react';
import { editorApi, type VersionDetail } from './api';

/** The version picked in the history (or none), fetched when picked. */
export function useVersionPreview(documentId: string) {
  const [selectedVersionId, setSelectedVersionId] = useState<string | null>(null);
  const [version, setVersion] = useState<VersionDetail | null>(null);
  const [versionError, setVersionError] = useState<string | null>(null);
  useEffect(() => {
    setVersion(null);
    setVersionError(null);
    if (!selectedVersionId) return;
    let live = true;
    editorApi
      .getVersion(documentId, selectedVersionId)
      .then((v) => live && setVersion(v))
      .catch((e: Error) => live && setVersionError(e.message));
    return () => {
      live = false;
    };
  }, [documentId, selectedVersionId]);
  return { selectedVersionId, setSelectedVersionId, version, versionError };
}
