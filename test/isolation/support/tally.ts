/** What an attempt should come to: a cross-tenant or non-operator attempt is denied, own allowed. */
export type Expected = 'deny' | 'allow';
export type Outcome = 'denied' | 'allowed';

export interface Attempt {
  readonly area: 'api' | 'database' | 'files';
  readonly name: string;
  readonly expected: Expected;
  readonly outcome: Outcome;
  /** Why it was denied or allowed (the refusing layer, the error), for the table. */
  readonly detail: string;
}

/** The attempts of the isolation suite and their outcomes, printed as a table at the end. */
export class Tally {
  readonly attempts: Attempt[] = [];

  record(attempt: Attempt): Attempt {
    this.attempts.push(attempt);
    return attempt;
  }

  /** The attempts since `from` whose outcome is not what they should come to. */
  wrongSince(from: number): string[] {
    return this.attempts
      .slice(from)
      .filter((a) => (a.expected === 'deny') !== (a.outcome === 'denied'))
      .map((a) => `${a.name}: ${a.outcome} (${a.detail})`);
  }

  /**
   * A Jest test whose attempts are all made (none stops the others) and that then fails listing
   * every attempt that came to the wrong outcome.
   */
  test(name: string, body: () => Promise<void>, timeout?: number): void {
    it(
      name,
      async () => {
        const from = this.attempts.length;
        await body();
        expect(this.wrongSince(from)).toEqual([]);
      },
      timeout,
    );
  }

  /** `attempts N, denied N, allowed-own N` plus the two numbers that must be zero. */
  summary(): string {
    const n = (f: (a: Attempt) => boolean) => this.attempts.filter(f).length;
    const deny = (a: Attempt) => a.expected === 'deny';
    return (
      `attempts ${this.attempts.length}, denied ${n((a) => deny(a) && a.outcome === 'denied')}, ` +
      `allowed-own ${n((a) => !deny(a) && a.outcome === 'allowed')} ` +
      `(cross-tenant or non-operator allowed ${n((a) => deny(a) && a.outcome === 'allowed')}, ` +
      `own denied ${n((a) => !deny(a) && a.outcome === 'denied')})`
    );
  }

  table(): string {
    const areas = ['api', 'database', 'files'] as const;
    const rows = areas.map((area) => {
      const of = this.attempts.filter((a) => a.area === area);
      const denied = of.filter((a) => a.expected === 'deny' && a.outcome === 'denied').length;
      const own = of.filter((a) => a.expected === 'allow' && a.outcome === 'allowed').length;
      const wrong = of.filter((a) => (a.expected === 'deny') !== (a.outcome === 'denied')).length;
      return `${area.padEnd(9)} attempts ${String(of.length).padStart(4)}  denied ${String(denied).padStart(4)}  allowed-own ${String(own).padStart(3)}  wrong ${wrong}`;
    });
    const wrong = this.attempts
      .filter((a) => (a.expected === 'deny') !== (a.outcome === 'denied'))
      .map((a) => `  WRONG ${a.area}: ${a.name}: ${a.outcome} (${a.detail})`);
    return ['Tenant isolation suite', ...rows, ...wrong, this.summary()].join('\n');
  }
}
