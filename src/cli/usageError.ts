/**
 * Bad command-line input: printed as one line, exit code 1.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A problem with the arguments, reported as `runware-rx <command>: <message>`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options of a command, as parseArgs returns them. */
export type ParsedOptions = Record<string, string | boolean | undefined>;

/** Runs node:util parseArgs in strict mode, turning its errors into a one-line {@link UsageError}. */
export function parseCommandArgs(args: ReadonlyArray<string>, options: NonNullable<ParseArgsConfig['options']>, allowPositionals: boolean): { values: ParsedOptions; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: parsed.values as ParsedOptions, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(firstLine(error instanceof Error ? error.message : String(error)));
  }
}

/** Reads a whole number option within [min, max]. */
export function integerOption(values: ParsedOptions, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads a positive number option. */
export function numberOption(values: ParsedOptions, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads a chance option: a number from 0 to 1. */
export function rateOption(values: ParsedOptions, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!(value >= 0 && value <= 1)) throw new UsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads a string option that must not be empty when given. */
export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`--${name} needs a value`);
  return raw;
}

/** parseArgs messages run on with advice for positionals; the first sentence is the point. */
function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? text).trim();
  return line.split('. ')[0] ?? line;
}
