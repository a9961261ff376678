/**
 * The creation order CloudFormation derives for one template: a resource waits for what it names in
 * DependsOn and for every resource it references (Ref, Fn::GetAtt, Fn::Sub).
 */
import { isObject, type Json } from './resolved-resource';
import type { TemplateView } from './template-view';

export class DependencyGraph {
  private readonly direct = new Map<string, Set<string>>();

  constructor(private readonly template: TemplateView) {
    for (const resource of template.resources.values()) {
      const targets = new Set(resource.dependsOn);
      this.collectReferences(resource.properties, targets);
      this.direct.set(resource.logicalId, targets);
    }
  }

  /** Whether `from` waits for `to`, directly or through other resources. */
  dependsOn(from: string, to: string): boolean {
    const seen = new Set<string>();
    const queue = [from];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      for (const next of this.direct.get(id) ?? []) {
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return false;
  }

  private collectReferences(value: Json | undefined, into: Set<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.collectReferences(item, into);
      return;
    }
    if (!isObject(value)) return;
    const referenced = this.template.referencedId(value);
    if (referenced) into.add(referenced);
    const sub = value['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    for (const match of text?.matchAll(/\$\{([^}.!]+)/g) ?? []) {
      if (this.template.resources.has(match[1])) into.add(match[1]);
    }
    for (const child of Object.values(value)) this.collectReferences(child, into);
  }
}
