/**
 * The JSON schema (draft-07, with VS Code's markdown extensions) derived from schema.ts, shipped as
 * schemas/nnlab.schema.json for editors other than NN Lab's own language server. Cross-key rules (layers
 * against the data, keys that `defaults` may supply) are beyond JSON schema and live only in the validator.
 */
import { sweepablePaths } from '../sweep/paths';
import type { Field, MapField, ObjectField } from './schema';
import { fileSchema } from './schema';

type JsonSchema = Record<string, unknown>;

function describe(field: Field): JsonSchema {
  const out: JsonSchema = { description: field.description, markdownDescription: field.description };
  if (field.default !== undefined) out.default = field.default;
  return out;
}

function objectSchema(field: ObjectField): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, child] of Object.entries(field.properties)) properties[key] = toJsonSchema(child);
  const out: JsonSchema = { type: 'object', ...describe(field), properties, additionalProperties: false };
  if (field.variants) {
    const { discriminator, cases } = field.variants;
    out.required = [discriminator];
    out.allOf = Object.entries(cases).map(([tag, variant]) => {
      const forbidden = Object.keys(field.properties).filter((k) => !variant.allowed.includes(k));
      const then: JsonSchema = { required: variant.required };
      if (forbidden.length) then.properties = Object.fromEntries(forbidden.map((k) => [k, false]));
      return { if: { properties: { [discriminator]: { const: tag } }, required: [discriminator] }, then };
    });
  }
  return out;
}

/** Keys are the sweepable paths; a value is a list (grid) or an object with exactly one random spec. */
function sweepSchema(field: MapField): JsonSchema {
  const spec = toJsonSchema(field.values);
  return {
    type: 'object',
    ...describe(field),
    propertyNames: { enum: sweepablePaths() },
    additionalProperties: {
      oneOf: [
        { type: 'array', minItems: 1, description: 'Grid values (or, under random search, drawn from uniformly).' },
        { ...spec, minProperties: 1, maxProperties: 1 },
      ],
    },
  };
}

export function toJsonSchema(field: Field): JsonSchema {
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const out: JsonSchema = { type: field.kind, ...describe(field) };
      for (const bound of ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'] as const) {
        if (field[bound] !== undefined) out[bound] = field[bound];
      }
      return out;
    }
    case 'boolean':
    case 'string':
      return { type: field.kind, ...describe(field) };
    case 'enum':
      return {
        type: 'string',
        ...describe(field),
        enum: field.values.map((v) => v.value),
        enumDescriptions: field.values.map((v) => v.doc),
        markdownEnumDescriptions: field.values.map((v) =>
          [v.doc, v.formula, v.when && `When: ${v.when}`].filter(Boolean).join(' '),
        ),
      };
    case 'array': {
      const out: JsonSchema = { type: 'array', ...describe(field), items: toJsonSchema(field.items) };
      if (field.minItems !== undefined) out.minItems = field.minItems;
      return out;
    }
    case 'object':
      return objectSchema(field);
    case 'map':
      if (field.custom === 'sweep') return sweepSchema(field);
      return { type: 'object', ...describe(field), additionalProperties: toJsonSchema(field.values) };
  }
}

/** The whole file's schema. Only `experiments` is required: every other required key may come from `defaults`. */
export function experimentFileJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nnlab.dev/schemas/nnlab.schema.json',
    title: 'NN Lab experiment file',
    allowComments: true,
    allowTrailingCommas: true,
    ...toJsonSchema(fileSchema),
    required: ['experiments'],
  };
}

/** The exact text of schemas/nnlab.schema.json. */
export function experimentFileJsonSchemaText(): string {
  return `${JSON.stringify(experimentFileJsonSchema(), null, 2)}\n`;
}
