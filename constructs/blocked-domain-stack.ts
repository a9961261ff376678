import { Annotations, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type DefinitionProblem, formatProblem } from '../lib/mesh/problems';

export interface BlockedDomainStackProps extends StackProps {
  /** The domain's definition problems; each becomes an error on the stack. */
  readonly problems: readonly DefinitionProblem[];
}

/**
 * Stands in for the stack of a domain whose definitions have problems. It holds no resources and one error
 * per problem, so `cdk synth`/`cdk deploy` of this stack fails with the problems listed, while every other
 * domain's stack synthesizes and deploys as usual. It is never deployed: CloudFormation is not asked to
 * change (or delete) anything of the domain until its files are fixed.
 */
export class BlockedDomainStack extends Stack {
  readonly problems: readonly DefinitionProblem[];

  constructor(scope: Construct, id: string, props: BlockedDomainStackProps) {
    super(scope, id, props);
    this.problems = props.problems;
    this.templateOptions.description = 'Blocked: the domain definitions have problems';
    for (const problem of props.problems) Annotations.of(this).addError(formatProblem(problem));
  }
}
