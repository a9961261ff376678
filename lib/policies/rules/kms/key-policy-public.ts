import type { ResourceRule } from '../../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../../template/policy-document';

/** MESH-KMS-002: no unconditional Allow to everyone in a key policy. */
export const keyPolicyNotPublic: ResourceRule = {
  kind: 'resource',
  id: 'MESH-KMS-002',
  severity: 'error',
  exceptable: false,
  title: 'Key policies grant nothing to everyone',
  explanation:
    'An Allow with Principal "*" and no condition lets any AWS account use the domain key: whoever can read an object could decrypt it. Key access goes to the account (delegating to IAM) and to the mesh\'s roles.',
  fix: 'grant the key to roles (key.grantDecrypt(role)) instead of Principal "*"',
  resourceTypes: ['AWS::KMS::Key'],
  check(key) {
    return statementsOf(key.properties.KeyPolicy)
      .filter((s) => s.effect === 'Allow' && !s.notPrincipal && isAnyonePrincipal(s.principal) && !s.condition)
      .map((s) => ({
        finding: `Statement::${statementLabel(s)}`,
        message: `key policy statement ${statementLabel(s)} allows everyone (Principal "*") without a condition`,
      }));
  },
};
