import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { appIndexOf } from './app-index';
import { evaluationCache } from './evaluation-cache';
import { targetOf } from './resource-view';
import { referencedLogicalId } from './values';

/**
 * What a resolved CloudFormation value (an ARN, a name) refers to:
 * - `text`: a string, with pseudo parameters substituted from the stack's account, region and
 *   partition (an env-agnostic stack leaves `<AWS::Region>`-style placeholders);
 * - `logicalId`: a `Ref` / `Fn::GetAtt` to a resource of the same stack, or, through a cross-stack
 *   reference (`Fn::GetStackOutput`, `Fn::ImportValue`) to an output of another stack of the same
 *   app, to a resource of that stack (`stack` names it);
 * - `unknown`: anything else (parameters, imports from outside the app, conditions, other
 *   intrinsics).
 */
export type Reference =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'logicalId'; readonly logicalId: string; readonly stack?: Stack }
  | { readonly kind: 'unknown' };

const UNKNOWN: Reference = { kind: 'unknown' };

/** The value a pseudo parameter takes in a stack, or undefined if not a pseudo parameter. */
export function pseudoValue(name: string, stack: Stack): string | undefined {
  const target = targetOf(stack);
  switch (name) {
    case 'AWS::Partition':
      return target.partition;
    case 'AWS::Region':
      return target.region ?? '<AWS::Region>';
    case 'AWS::AccountId':
      return target.account ?? '<AWS::AccountId>';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}

/** Flatten a resolved value into a reference (see `Reference`). */
export function referenceOf(value: unknown, stack: Stack): Reference {
  if (typeof value === 'string')
    return value.includes('${Token[') ? UNKNOWN : { kind: 'text', text: value };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return UNKNOWN;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') {
    const pseudo = pseudoValue(v.Ref, stack);
    if (pseudo !== undefined) return { kind: 'text', text: pseudo };
  }
  const logicalId = referencedLogicalId(value);
  if (logicalId !== undefined) return { kind: 'logicalId', logicalId };
  if (v['Fn::GetStackOutput'] !== undefined || v['Fn::ImportValue'] !== undefined) {
    return crossStackOf(v, stack);
  }
  if (Array.isArray(v['Fn::Join'])) return joinOf(v['Fn::Join'], stack);
  if (v['Fn::Sub'] !== undefined) return subOf(v['Fn::Sub'], stack);
  return UNKNOWN;
}

function joinOf(args: unknown[], stack: Stack): Reference {
  const [delimiter, parts] = args;
  if (typeof delimiter !== 'string' || !Array.isArray(parts)) return UNKNOWN;
  const texts: string[] = [];
  for (const part of parts) {
    const ref = referenceOf(part, stack);
    if (ref.kind !== 'text') return UNKNOWN;
    texts.push(ref.text);
  }
  return { kind: 'text', text: texts.join(delimiter) };
}

function subOf(arg: unknown, stack: Stack): Reference {
  if (typeof arg !== 'string') return UNKNOWN;
  const whole = /^\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}$/.exec(arg);
  if (whole && pseudoValue(whole[1], stack) === undefined && !whole[1].startsWith('AWS')) {
    return { kind: 'logicalId', logicalId: whole[1] };
  }
  let unresolved = false;
  const text = arg.replace(/\$\{([^}!]+)\}/g, (_match, name: string) => {
    const pseudo = pseudoValue(name, stack);
    if (pseudo === undefined) unresolved = true;
    return pseudo ?? '';
  });
  return unresolved ? UNKNOWN : { kind: 'text', text };
}

const GLOBS = new Map<string, RegExp>();

/** A glob (`*` and `?` wildcards, as in AWS Backup resource ARNs) as an anchored regex. */
export function globToRegExp(glob: string): RegExp {
  let regex = GLOBS.get(glob);
  if (!regex) {
    const escaped = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${escaped}$`, 'i');
    GLOBS.set(glob, regex);
  }
  return regex;
}

const REGION_IN_TEXT =
  /(?:^|[^a-z])((?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)(?![0-9])/;

/** A region code written inside a name, e.g. `ap-southeast-4` in `logi-prod-ap-southeast-4-files`. */
export function regionInText(text: string): string | undefined {
  return REGION_IN_TEXT.exec(text)?.[1];
}

/**
 * Follow a cross-stack reference to the resource behind the producing stack's output, when that
 * stack is part of the same app and the output is a `Ref` / `Fn::GetAtt` of one of its resources.
 */
function crossStackOf(value: Record<string, unknown>, consumer: Stack): Reference {
  const getOutput = value['Fn::GetStackOutput'] as
    | { StackName?: unknown; OutputName?: unknown }
    | undefined;
  const exportName = value['Fn::ImportValue'];
  const outputs = outputIndexOf(consumer.node.root);
  const found = getOutput
    ? outputs.byStackOutput.get(`${String(getOutput.StackName)}\n${String(getOutput.OutputName)}`)
    : typeof exportName === 'string'
      ? outputs.byExport.get(exportName)
      : undefined;
  if (!found) return UNKNOWN;
  const { producer, output } = found;
  const target = referenceOf(producer.resolve(output.value), producer);
  return target.kind === 'logicalId' ? { ...target, stack: target.stack ?? producer } : target;
}

interface OutputEntry {
  readonly producer: Stack;
  readonly output: CfnOutput;
}

interface OutputIndex {
  /** By `<stack name>\n<output logical id>` (what `Fn::GetStackOutput` names). */
  readonly byStackOutput: Map<string, OutputEntry>;
  /** By export name (what `Fn::ImportValue` names). */
  readonly byExport: Map<string, OutputEntry>;
}

/**
 * Every output of the app by the names a cross-stack reference uses, in one walk of the tree; the
 * first output in construct order wins, as a scan would find it. Built once per pack run (the
 * app index's memo), or per call outside one; a cross-stack reference used to walk the whole tree
 * again, once per reference (over a second of a synth of the default platform, for the alarms'
 * topic alone).
 */
function outputIndexOf(root: IConstruct): OutputIndex {
  const build = (): OutputIndex => {
    const index: OutputIndex = { byStackOutput: new Map(), byExport: new Map() };
    for (const construct of root.node.findAll()) {
      if (!(construct instanceof CfnOutput)) continue;
      const producer = Stack.of(construct);
      const entry = { producer, output: construct };
      const byName = `${producer.stackName}\n${String(producer.resolve(construct.logicalId))}`;
      if (!index.byStackOutput.has(byName)) index.byStackOutput.set(byName, entry);
      const exported = producer.resolve(construct.exportName);
      if (typeof exported === 'string' && !index.byExport.has(exported)) {
        index.byExport.set(exported, entry);
      }
    }
    return index;
  };
  return evaluationCache() ? appIndexOf(root).memo('stack-outputs', build) : build();
}
