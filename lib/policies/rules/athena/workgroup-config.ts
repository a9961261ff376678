/** Reads the configuration block every workgroup rule inspects. */
import { get, type Json, type ResolvedResource } from '../../template/resolved-resource';

export function workgroupConfiguration(workgroup: ResolvedResource, ...path: string[]): Json | undefined {
  return get(workgroup.properties, 'WorkGroupConfiguration', ...path);
}
