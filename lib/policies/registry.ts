/**
 * The rule registry: every rule by id, resource rules indexed by CloudFormation type so the engine hands a
 * resource only to the rules that inspect its type.
 */
import { ENGINE_RULES } from './engine/engine-rules';
import type { MeshRule, ResourceRule, Rule, StackRule } from './model';

const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

export class RuleRegistry {
  /** Every rule, in registration order (engine rules last). */
  readonly rules: readonly Rule[];
  readonly stackRules: readonly StackRule[];
  readonly meshRules: readonly MeshRule[];
  private readonly byId = new Map<string, Rule>();
  private readonly byType = new Map<string, ResourceRule[]>();
  private readonly anyType: readonly ResourceRule[];
  private readonly dispatch = new Map<string, readonly ResourceRule[]>();

  constructor(rules: readonly Rule[]) {
    this.rules = [...rules, ...ENGINE_RULES.filter((r) => !rules.includes(r))];
    for (const rule of this.rules) {
      if (!RULE_ID.test(rule.id)) throw new Error(`rule id "${rule.id}" must look like MESH-S3-001`);
      if (this.byId.has(rule.id)) throw new Error(`rule id ${rule.id} is registered twice`);
      this.byId.set(rule.id, rule);
    }
    const resourceRules = this.rules.filter((r): r is ResourceRule => r.kind === 'resource');
    this.anyType = resourceRules.filter((r) => r.resourceTypes === 'any');
    for (const rule of resourceRules) {
      if (rule.resourceTypes === 'any') continue;
      for (const type of rule.resourceTypes) {
        const list = this.byType.get(type);
        if (list) list.push(rule);
        else this.byType.set(type, [rule]);
      }
    }
    this.stackRules = this.rules.filter((r): r is StackRule => r.kind === 'stack');
    this.meshRules = this.rules.filter((r): r is MeshRule => r.kind === 'mesh');
  }

  get(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  /** Rules for one resource type: the type's own, then the `any` rules. Cached per type. */
  forType(type: string): readonly ResourceRule[] {
    let rules = this.dispatch.get(type);
    if (!rules) {
      rules = [...(this.byType.get(type) ?? []), ...this.anyType];
      this.dispatch.set(type, rules);
    }
    return rules;
  }
}
