import { parseArgs } from 'node:util';

type OptionsConfig = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parse a command's flags (plus --help); undefined after printing help. */
export function parseFlags<O extends OptionsConfig>(argv: string[], options: O, help: string) {
  const { values } = parseArgs({
    args: argv,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if ((values as Record<string, unknown>).help) {
    console.log(help);
    return undefined;
  }
  return values as { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
}
