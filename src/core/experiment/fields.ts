/**
 * The vocabulary of schema.ts: what a field of an experiment file's schema can be (number, boolean, string, enum,
 * array, object, map), and the types that tie a section's fields to its config interface (FieldsOf).
 */

export interface FieldBase {
  /** Markdown, one or two sentences. */
  description: string;
  /** The value used when the key is absent after merging `defaults`; absent means "no default". */
  default?: unknown;
  /** How the default is described when it is not a plain value (e.g. "full batch"). */
  defaultText?: string;
  /** Must be present after `defaults` are merged. */
  required?: boolean;
  /** When the key only matters for some settings (e.g. "optimizer = adam"). */
  appliesTo?: string;
}

export interface NumberField extends FieldBase {
  kind: 'number' | 'integer';
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
}

export interface StringField extends FieldBase {
  kind: 'string';
}

export interface EnumValue<V extends string = string> {
  value: V;
  /** One line. */
  doc: string;
  /** Markdown: the update or scaling formula. */
  formula?: string;
  /** One line on when to choose it. */
  when?: string;
}

export interface EnumField<V extends string = string> extends FieldBase {
  kind: 'enum';
  values: readonly EnumValue<V>[];
  default?: V;
}

export interface ArrayField extends FieldBase {
  kind: 'array';
  items: Field;
  minItems?: number;
}

/**
 * An object with a fixed set of keys. `variants` describes a discriminated object (like `decay`): the
 * discriminator key picks which other keys are required and which are allowed.
 */
export interface ObjectField extends FieldBase {
  kind: 'object';
  properties: Record<string, Field>;
  variants?: { discriminator: string; cases: Record<string, { required: string[]; allowed: string[] }> };
}

/** An object whose keys are free names (the experiments), each value following `values`. */
export interface MapField extends FieldBase {
  kind: 'map';
  values: Field;
  /**
   * `sweep`: the keys are dotted parameter paths and the values are lists or random specs; checked by
   * src/core/sweep (not by the generic checks), since a value's type depends on its key.
   */
  custom?: 'sweep';
}

export type Field = NumberField | BooleanField | StringField | EnumField | ArrayField | ObjectField | MapField;

/** The field for a value of type V: its kind follows from V (a union of string literals is an enum of exactly those). */
export type FieldOf<V> = [V] extends [boolean]
  ? BooleanField
  : [V] extends [number]
    ? NumberField
    : [V] extends [string]
      ? string extends V
        ? StringField
        : EnumField<V>
      : [V] extends [readonly unknown[]]
        ? ArrayField
        : ObjectField;

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * One field per key of T, no more, no fewer. A key every resolved config has is `required` or has a default of
 * its type (resolve.ts fills it in); a key T may lack has no default, since a default would always fill it.
 */
export type FieldsOf<T> = {
  [K in keyof T]-?: K extends OptionalKeys<T>
    ? FieldOf<Exclude<T[K], undefined>> & { default?: undefined; required?: false }
    : FieldOf<T[K]> & ({ default: T[K] } | { required: true });
};

/** An object field whose properties are checked against T (see FieldsOf). */
export interface ObjectFieldOf<T> extends ObjectField {
  properties: FieldsOf<T>;
}
