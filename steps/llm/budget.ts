/**
 * LLM budgets: `budget: { tokens, requests, usd }` of a step, of an agent, of a team and of the
 * run. Each is a ledger; a call is charged to every ledger that applies. A request that would go
 * past a limit is not sent, and an answer that went past one fails the step; either way the
 * message shows the spend. The shared ledgers (agent, team, run) live as run resources, so
 * parallel tasks of one agent draw on one budget.
 */
import { StepError, type StepContext } from '../contract.js';
import { llmSettings, type Price } from './settings.js';

export interface BudgetLimit {
  readonly tokens?: number;
  readonly requests?: number;
  readonly usd?: number;
}

/** Token counts as the server reports them. */
export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

/** What was spent: step outputs carry it as `spend`. */
export interface Spend {
  requests: number;
  tokens: number;
  usd: number;
}

/** Where one budget stands. */
export class Ledger {
  readonly spent: Spend = { requests: 0, tokens: 0, usd: 0 };
  /** Whether a call with a priced model was charged here (its spend then shows usd). */
  priced = false;
  constructor(
    /** How messages name it: `step "summarize"`, `agent "writer"`, `the run`. */
    readonly label: string,
    readonly limit: BudgetLimit = {},
  ) {}
}

/** The budget schema shared by llm steps, agents and the workflow's `llm:` block. */
export const BUDGET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'Limits on what the calls may spend; a call that would go past one fails the step with the spend so far.',
  properties: {
    tokens: { type: 'integer', minimum: 1, description: 'Total tokens (prompt and completion) of every call.' },
    requests: { type: 'integer', minimum: 1, description: 'Requests sent to the server, retries included.' },
    usd: { type: 'number', exclusiveMinimum: 0, description: 'US dollars, from the token counts and the llm: block\'s prices of the model.' },
  },
} as const;

/** `3 requests, 1,234 tokens, $0.0021`. */
export function spentText(spent: Spend, priced: boolean): string {
  const parts = [`${spent.requests} request${spent.requests === 1 ? '' : 's'}`, `${spent.tokens.toLocaleString('en-US')} tokens`];
  if (priced) parts.push(`$${spent.usd.toFixed(4)}`);
  return parts.join(', ');
}

/** A ledger's spend as an output: usd only when a priced model was charged. */
export function spendOutput(ledger: Ledger): Record<string, number> {
  const { spent } = ledger;
  const out: Record<string, number> = { requests: spent.requests, tokens: spent.tokens };
  if (ledger.priced) out.usd = Number(spent.usd.toFixed(6));
  return out;
}

function exceeded(ledger: Ledger, reason: string, priced: boolean): StepError {
  const message = `LLM budget of ${ledger.label} exceeded: ${reason}; spent ${spentText(ledger.spent, priced)}`;
  return new StepError('llm.budget', message, { budget: ledger.label, limit: ledger.limit, spent: { ...ledger.spent } });
}

/** Every ledger a call is charged to, and the price of its model. */
export class Budgets {
  constructor(
    readonly ledgers: readonly Ledger[],
    readonly price: Price | undefined,
  ) {}

  /** Charges one request, or throws when one more would go past a limit (nothing is sent then). */
  beforeRequest(model: string): void {
    const priced = this.price !== undefined;
    for (const ledger of this.ledgers) {
      const { limit, spent } = ledger;
      if (limit.usd !== undefined && !priced) {
        throw new StepError('llm.no_price', `The budget of ${ledger.label} is in usd, but the llm: block has no price for model "${model}": add llm: { prices: { "${model}": { input: USD, output: USD } } } (per million tokens)`);
      }
      if (limit.requests !== undefined && spent.requests + 1 > limit.requests) throw exceeded(ledger, `another request would make ${spent.requests + 1}, the limit is ${limit.requests}`, priced);
      if (limit.tokens !== undefined && spent.tokens >= limit.tokens) throw exceeded(ledger, `no tokens left of ${limit.tokens.toLocaleString('en-US')}`, priced);
      if (limit.usd !== undefined && spent.usd >= limit.usd) throw exceeded(ledger, `no money left of $${limit.usd}`, priced);
    }
    for (const ledger of this.ledgers) ledger.spent.requests++;
  }

  /** Adds an answer's tokens (and cost); throws when that went past a limit. */
  afterAnswer(usage: Usage): void {
    const priced = this.price !== undefined;
    const usd = this.price ? (usage.prompt_tokens * this.price.input + usage.completion_tokens * this.price.output) / 1e6 : 0;
    for (const ledger of this.ledgers) {
      ledger.spent.tokens += usage.total_tokens;
      ledger.spent.usd += usd;
      ledger.priced ||= priced;
    }
    for (const ledger of this.ledgers) {
      const { limit, spent } = ledger;
      if (limit.tokens !== undefined && spent.tokens > limit.tokens) throw exceeded(ledger, `${spent.tokens.toLocaleString('en-US')} tokens used, the limit is ${limit.tokens.toLocaleString('en-US')}`, priced);
      if (limit.usd !== undefined && spent.usd > limit.usd) throw exceeded(ledger, `$${spent.usd.toFixed(4)} used, the limit is $${limit.usd}`, priced);
    }
  }
}

/** The run resource key of a shared ledger. */
export function ledgerKey(key: string): string {
  return `llm.budget:${key}`;
}

/** A ledger shared by the steps of a run (an agent's, a team's, the run's): one per key. */
export function sharedLedger(ctx: StepContext, key: string, label: string, limit: BudgetLimit): Promise<Ledger> {
  return ctx.run.resource(ledgerKey(key), async () => new Ledger(label, limit), async () => {});
}

/** A budget shared by several steps (an agent's or a team's), named by its key. */
export interface SharedBudget {
  readonly key: string;
  readonly label: string;
  readonly limit: BudgetLimit;
}

/**
 * The ledgers of one step: its own, the shared ones it is given, and the run's (the `llm:`
 * block's budget, kept even without a limit so the run's spend adds up).
 *
 * @example
 * const ledgers = await ledgersOf(ctx, new Ledger('step "ask"', input.budget), []);
 */
export async function ledgersOf(ctx: StepContext, own: Ledger, shared: readonly SharedBudget[]): Promise<Ledger[]> {
  const run = { key: 'run', label: 'the run', limit: (llmSettings(ctx).budget ?? {}) as BudgetLimit };
  const ledgers = await Promise.all([...shared, run].map((b) => sharedLedger(ctx, b.key, b.label, b.limit)));
  return [own, ...ledgers];
}
