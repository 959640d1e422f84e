import type { z } from 'zod';

/**
 * How one JSON text column becomes a value and back: declared once beside its table, used by the code that maps rows,
 * so no other place parses the column or asserts its type (docs/architecture.md, "Parse once").
 * With a schema the text is checked as it is read (for columns whose shape matters to a decision); without one the
 * column is trusted as written by `write` (hot paths such as a sale's payment method, read on every answer).
 */
export interface JsonColumn<T> {
  read(text: string): T;
  write(value: T): string;
}

export function jsonColumn<T>(schema?: z.ZodType<T>): JsonColumn<T> {
  return {
    read: schema ? (text) => schema.parse(JSON.parse(text)) : (text) => JSON.parse(text) as T,
    write: (value) => JSON.stringify(value),
  };
}
