/**
 * Whether CDK manages tags on a CloudFormation resource type, known without a construct tree. Synthesis asks
 * the resource's L1 construct (TagManager.isTaggable); for a template resource no construct is known for
 * (the gate reads templates from disk; a resource added to a template by hand), the L1 class's declaration
 * answers: aws-cdk-lib ships the table from CloudFormation type to L1 class that cloudformation-include reads
 * templates with, and every generated L1 class declares `implements cdk.ITaggable` (or `cdk.ITaggableV2`)
 * exactly when it has a tag manager. Declarations are read as text, so no L1 module is loaded. Pinned against
 * the runtime answer in test/policies/taggable-types.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const CDK_LIB = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const TYPE_TO_CLASS = path.join(CDK_LIB, 'cloudformation-include', 'cfn-types-2-classes.json');
const DECLARATION = /declare class (\w+) extends cdk\.CfnResource implements ([^{]*)\{/g;
const TAGGABLE = /\bcdk\.ITaggable(V2)?\b/;

export class TaggableTypes {
  private classes?: Readonly<Record<string, string>>;
  /** `implements` clause of every L1 class, by module folder. */
  private readonly modules = new Map<string, Map<string, string>>();
  private readonly answers = new Map<string, boolean>();

  /**
   * Whether the L1 class of `type` has a tag manager. Types without an L1 class (`AWS::CDK::Metadata`,
   * `Custom::*`) are built as plain CfnResource, which has none.
   */
  isTaggable(type: string): boolean {
    let answer = this.answers.get(type);
    if (answer === undefined) {
      answer = this.lookup(type);
      this.answers.set(type, answer);
    }
    return answer;
  }

  private lookup(type: string): boolean {
    const ref = this.typeTable()[type];
    if (!ref) return false;
    // "aws-cdk-lib/aws-s3.CfnBucket"
    const [modulePath, className] = ref.split('.');
    const folder = modulePath.replace(/^aws-cdk-lib\//, '');
    const implemented = this.declarations(folder).get(className);
    if (implemented === undefined) {
      throw new Error(
        `${TYPE_TO_CLASS} maps ${type} to ${ref}, whose declaration is not in ${folder}/lib/*.generated.d.ts: this aws-cdk-lib is laid out differently from the one lib/policies/template/taggable-types.ts was written for; update the module`,
      );
    }
    return TAGGABLE.test(implemented);
  }

  private typeTable(): Readonly<Record<string, string>> {
    if (!this.classes) {
      if (!fs.existsSync(TYPE_TO_CLASS)) {
        throw new Error(
          `${TYPE_TO_CLASS} is missing: this aws-cdk-lib no longer ships the CloudFormation type table lib/policies/template/taggable-types.ts reads; update the module`,
        );
      }
      this.classes = JSON.parse(fs.readFileSync(TYPE_TO_CLASS, 'utf8')) as Record<string, string>;
    }
    return this.classes;
  }

  private declarations(folder: string): Map<string, string> {
    let found = this.modules.get(folder);
    if (!found) {
      found = new Map();
      const dir = path.join(CDK_LIB, folder, 'lib');
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.generated.d.ts'))) {
        for (const match of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(DECLARATION)) {
          found.set(match[1], match[2]);
        }
      }
      this.modules.set(folder, found);
    }
    return found;
  }
}
