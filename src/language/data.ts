import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads a data file of this module (a word list, the glossary), as UTF-8. The files live next to the
 * sources in src/language/. `tsc` copies no data files, so when the code runs from the build
 * (dist/language/), the file is read from src/language/ instead, found relative to this module.
 */
export function readDataFile(name: string): string {
  const beside = new URL(name, import.meta.url);
  if (existsSync(beside)) return readFileSync(beside, 'utf8');
  return readFileSync(new URL(`../../src/language/${name}`, import.meta.url), 'utf8');
}

/** The non-empty lines of a data file, trimmed, without `#` comment lines. */
export function readDataLines(name: string): string[] {
  return readDataFile(name)
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
