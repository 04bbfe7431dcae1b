import type { OpKind } from '@qatkit/core';
import type { OpRule } from './op-rule.js';
import { CONV_OPS } from './ops-conv.js';
import { ELEMENTWISE_OPS } from './ops-elementwise.js';
import { LAYOUT_OPS } from './ops-layout.js';

export type OpTable = { readonly [K in OpKind]: OpRule<K> };

/** IR kind → the ONNX operators written for it and how. Every kind of the IR has a row. */
export const OP_TABLE: OpTable = { ...CONV_OPS, ...ELEMENTWISE_OPS, ...LAYOUT_OPS };

/** The rule for an op kind, or undefined for kinds this exporter does not know (e.g. from a newer core). */
export function ruleFor(kind: string): OpRule<OpKind> | undefined {
  return Object.hasOwn(OP_TABLE, kind) ? (OP_TABLE[kind as OpKind] as OpRule<OpKind>) : undefined;
}
