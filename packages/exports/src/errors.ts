/** A problem found while reading a file: where it is, and what the writer should know. */
export interface ImportProblem {
  severity: 'error' | 'warning';
  message: string;
  /** 1-based line of the source, where the format has lines */
  line?: number;
}

/** Raised by the package for input it refuses; importFile turns it into a report, never a crash. */
export class ExportFormatError extends Error {
  constructor(
    readonly code: 'unsupported-format' | 'too-large' | 'corrupt' | 'zip-bomb' | 'mislabelled' | 'empty' | 'not-screenplay',
    message: string,
  ) {
    super(message);
    this.name = 'ExportFormatError';
  }
}
