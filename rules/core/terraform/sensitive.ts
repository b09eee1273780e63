/**
 * The sensitive-value guard: plans carry secrets in clear text (`auth_token`, `password`, sensitive variables and
 * outputs), and none may appear in any output of the pack. Values marked sensitive are replaced by SENSITIVE as they
 * are read, and every secret seen is remembered so that a copy of it elsewhere (a tag set from a password) is caught
 * too. One place holds every secret, so nothing else in the reader needs to know which values are sensitive.
 */
import { containsUnknown } from './known';
import { isRecord } from './model';

/** A value Terraform marks sensitive, or one that repeats a sensitive value: set, but never shown. */
export class SensitiveValue {
  toString(): string {
    return '(sensitive)';
  }
  toJSON(): string {
    return '(sensitive)';
  }
}
export const SENSITIVE: SensitiveValue = Object.freeze(new SensitiveValue());

/** Secrets shorter than this are not searched for inside other values (they would match ordinary words). */
export const MIN_REPEATED_SECRET = 6;

/** The secrets of one plan, and what they hide. */
export class SecretGuard {
  private readonly secrets = new Set<string>();
  private secretPrefixes: Map<string, string[]> | undefined;

  /** Sensitive root variables and outputs: their values appear in clear text elsewhere in the plan. */
  collectSensitiveInputs(document: Record<string, unknown>): void {
    const configuration = document.configuration;
    const rootModule = isRecord(configuration) ? configuration.root_module : undefined;
    const declared = isRecord(rootModule) ? rootModule.variables : undefined;
    const given = document.variables;
    if (isRecord(declared) && isRecord(given)) {
      for (const [name, declaration] of Object.entries(declared)) {
        if (isRecord(declaration) && declaration.sensitive === true) {
          const variable = given[name];
          this.remember(isRecord(variable) ? variable.value : undefined);
          this.remember(declaration.default);
        }
      }
    }
    const outputChanges = document.output_changes;
    if (isRecord(outputChanges)) {
      for (const output of Object.values(outputChanges)) {
        const change = isRecord(output) ? output.change : undefined;
        if (isRecord(change) && change.after_sensitive === true) this.remember(change.after);
      }
    }
    for (const section of [document.planned_values, document.values]) {
      const outputs = isRecord(section) ? section.outputs : undefined;
      if (!isRecord(outputs)) continue;
      for (const output of Object.values(outputs)) {
        if (isRecord(output) && output.sensitive === true) this.remember(output.value);
      }
    }
  }

  /** Keeps every string inside a sensitive value, so a copy of it elsewhere is caught too. */
  private remember(value: unknown): void {
    if (typeof value === 'string') {
      if (value.length >= MIN_REPEATED_SECRET) this.secrets.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) this.remember(item);
    } else if (isRecord(value)) {
      for (const item of Object.values(value)) this.remember(item);
    }
    this.secretPrefixes = undefined;
  }

  /** Replaces what `sensitive` marks in `value` by SENSITIVE (null stays null: not set), remembering the secrets. */
  redact(value: unknown, sensitive: unknown): unknown {
    if (!containsUnknown(sensitive)) return value;
    if (sensitive === true) {
      if (value === null || value === undefined) return value;
      this.remember(value);
      return SENSITIVE;
    }
    if (Array.isArray(value) && Array.isArray(sensitive)) {
      return value.map((item, index) => this.redact(item, sensitive[index]));
    }
    if (isRecord(value) && isRecord(sensitive)) {
      const copy: Record<string, unknown> = { ...value };
      for (const [key, marks] of Object.entries(sensitive)) {
        if (key in copy) copy[key] = this.redact(copy[key], marks);
      }
      return copy;
    }
    return value;
  }

  /**
   * A string that repeats a sensitive value anywhere in the plan comes back as SENSITIVE, also inside lists and
   * maps; anything else as is.
   */
  guard(value: unknown): unknown {
    if (this.secrets.size === 0 || value instanceof SensitiveValue) return value;
    if (typeof value === 'string') return this.repeatsSecret(value) ? SENSITIVE : value;
    if (Array.isArray(value)) return value.map((item) => this.guard(item));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.guard(item)]));
    }
    return value;
  }

  private repeatsSecret(value: string): boolean {
    if (value.length < MIN_REPEATED_SECRET) return false;
    // Indexed by their first characters, so a string is scanned once whatever the number of secrets.
    if (this.secretPrefixes === undefined) {
      this.secretPrefixes = new Map();
      for (const secret of this.secrets) {
        const prefix = secret.slice(0, MIN_REPEATED_SECRET);
        const list = this.secretPrefixes.get(prefix);
        if (list === undefined) this.secretPrefixes.set(prefix, [secret]);
        else list.push(secret);
      }
    }
    for (let at = 0; at + MIN_REPEATED_SECRET <= value.length; at += 1) {
      const candidates = this.secretPrefixes.get(value.slice(at, at + MIN_REPEATED_SECRET));
      if (candidates?.some((secret) => value.startsWith(secret, at)) === true) return true;
    }
    return false;
  }
}
