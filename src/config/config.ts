import type { FormatValues } from './formats';
import type { configSchema } from './schema';

/** The value a setting holds, from its format: a named format, String, or a list of allowed values. */
type ValueOf<Format> = Format extends keyof FormatValues
  ? FormatValues[Format]
  : Format extends StringConstructor
    ? string
    : Format extends ReadonlyArray<infer Allowed>
      ? Allowed
      : never;

/** A leaf of the schema declares a format and a default; anything else is a group of settings. */
type Settings<Schema> = {
  readonly [Key in keyof Schema]: Schema[Key] extends { readonly format: infer Format; readonly default: unknown }
    ? ValueOf<Format>
    : Settings<Schema[Key]>;
};

/** The validated, frozen configuration the rest of the program reads, typed by the schema itself. */
export type Config = Settings<typeof configSchema>;
