/** The checked workflow: what the compiler and the runtime work from. */
import type { CompiledCondition, CompiledValue, ScriptVar } from '../expr/index.js';
import type { YamlPath, LoadedDocument } from '../load/load.js';
import type { Permission, StepType } from '../../steps/contract.js';
import type { ScheduleSpec } from './schedule.js';

/** Retry policy of a step; `attempts` counts the first attempt too. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly factor: number;
  readonly maxDelayMs?: number;
  readonly jitter: number;
}

export type StepKind = 'action' | 'sequence' | 'parallel' | 'foreach';

/** A list of steps: a chain, or a DAG when one of its steps has `needs:`. */
export interface Block {
  /** Unique name of the block; also the name its machine is registered under. */
  readonly name: string;
  readonly steps: readonly StepNode[];
  readonly dag: boolean;
}

/** One step of any kind. */
export interface StepNode {
  readonly id: string;
  /** False when arq made the id up (the step had no `id:`). */
  readonly named: boolean;
  readonly label: string;
  readonly path: YamlPath;
  readonly kind: StepKind;
  readonly if?: CompiledCondition;
  readonly env?: CompiledValue;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly continueOnError: boolean;
  readonly needs: readonly string[];
  /** On `arq resume`, a step that was running when the runner died runs again (rerun) or fails. */
  readonly resume?: 'rerun' | 'fail';
  /** action: the step type (`shell`, `noop`, `workflow`, ...) and its inputs. */
  readonly uses?: string;
  readonly with?: CompiledValue;
  /** action: expressions lifted out of script inputs, handed over as environment variables. */
  readonly scriptVars?: readonly ScriptVar[];
  /** sequence and foreach: the inner steps; parallel: one block per branch. */
  readonly body?: Block;
  readonly branches?: readonly Block[];
  readonly foreach?: CompiledValue;
  readonly concurrency?: number;
  /** Composite steps: named outputs computed from the inner steps. */
  readonly outputs?: CompiledValue;
  /** `uses: ./module.js`: the step type the module exports. */
  readonly custom?: StepType;
  /** `uses: workflow`: the checked sub-workflow. */
  readonly workflow?: Workflow;
  /** `uses: agents.team`: its tasks as a workflow of its own, a DAG of agent tasks (engine/check/team.ts). */
  readonly team?: Workflow;
}

/** One agent of the workflow's `agents:` block, as written (plain JSON, handed to its tasks). */
export interface AgentSpec {
  readonly name: string;
  readonly description?: string;
  readonly model?: string;
  readonly system?: string;
  readonly tools?: readonly string[];
  readonly budget?: Readonly<Record<string, number>>;
  readonly temperature?: number;
  readonly max_turns?: number;
  readonly base_url?: string;
}

export type InputType = 'string' | 'number' | 'boolean' | 'list' | 'object';

export interface InputSpec {
  readonly type: InputType;
  readonly required: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly description?: string;
}

export interface SecretSpec {
  readonly env?: string;
  readonly file?: string;
  readonly required: boolean;
}

/** A checked workflow, ready to compile. */
export interface Workflow {
  readonly file: string;
  readonly name: string;
  readonly doc: LoadedDocument;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly secrets: Readonly<Record<string, SecretSpec>>;
  readonly env?: CompiledValue;
  readonly main: Block;
  readonly onFailure: Block;
  readonly finally: Block;
  readonly outputs?: CompiledValue;
  /** `permissions.paths` as written: folders file steps may touch besides the working directory. */
  readonly allowedPaths: readonly string[];
  /** The permissions `permissions:` grants (`browser_eval: true`), for this workflow's own steps. */
  readonly permissions: readonly Permission[];
  /** Every step of the workflow by id (sub-workflows excluded). */
  readonly stepsById: ReadonlyMap<string, StepNode>;
  /** Custom step types by their `uses:` (a module path or an arq.config.yaml name): what StepContext.runStep may run. */
  readonly customSteps?: ReadonlyMap<string, StepType>;
  /** The `agents:` block by agent name. */
  readonly agents?: Readonly<Record<string, AgentSpec>>;
  /** Workflow-level settings of step families (`{ llm }`), handed to steps as RunScope.settings. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** `on.schedule`: when `arq schedule` runs it. */
  readonly schedules: readonly ScheduleSpec[];
}
