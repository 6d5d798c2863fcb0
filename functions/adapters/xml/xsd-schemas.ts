import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The official schemas the system validates against, copied into the repository (see schemas/). */
export const XsdSchemaName = {
  fa3: 'fa3',
  upo43: 'upo43',
  auth20: 'auth20',
  auth21: 'auth21',
} as const;
export type XsdSchemaName = (typeof XsdSchemaName)[keyof typeof XsdSchemaName];

interface SchemaFiles {
  /** The entry schema, relative to the schemas directory. */
  readonly main: string;
  /** Schemas it imports or includes, relative to the schemas directory (paths kept as referenced). */
  readonly preload: readonly string[];
}

const SCHEMA_FILES: Record<XsdSchemaName, SchemaFiles> = {
  fa3: {
    main: 'schemat_FA(3)_v1-0E.xsd',
    preload: ['bazowe/StrukturyDanych_v10-0E.xsd', 'bazowe/ElementarneTypyDanych_v10-0E.xsd', 'bazowe/KodyKrajow_v10-0E.xsd'],
  },
  upo43: { main: 'upo/upo-v4-3.xsd', preload: [] },
  auth20: { main: 'auth/schemat_auth_v2-0.xsd', preload: [] },
  auth21: { main: 'auth/schemat_auth_v2-1.xsd', preload: [] },
};

export interface LoadedSchema {
  readonly fileName: string;
  readonly contents: string;
  readonly preload: readonly { readonly fileName: string; readonly contents: string }[];
}

export const defaultSchemasDir = fileURLToPath(new URL('./schemas/', import.meta.url));

/** Reads a schema set from disk once; xmllint gets them as in-memory files with the same relative names. */
export function loadSchema(name: XsdSchemaName, schemasDir: string = defaultSchemasDir): LoadedSchema {
  const files = SCHEMA_FILES[name];
  const read = (rel: string) => ({ fileName: rel, contents: readFileSync(path.join(schemasDir, rel), 'utf8') });
  const main = read(files.main);
  return { fileName: main.fileName, contents: main.contents, preload: files.preload.map(read) };
}
