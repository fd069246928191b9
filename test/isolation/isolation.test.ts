import { apiAttacks } from './api-attacks';
import { databaseAttacks } from './database-attacks';
import { filesAttacks } from './files-attacks';
import { Tally } from './support/tally';
import type { CfnTemplate } from './support/templates';
import { productionTemplates } from './support/templates';

/**
 * The adversarial tenant isolation suite (ARCHITECTURE.md section 7): every attempt a tenant (or
 * someone who is not an operator) makes against the admin API, the database and the files is
 * recorded with what it should come to and what it came to, and the table is printed at the end.
 */
const tally = new Tally();
let templates: Record<string, CfnTemplate> | undefined;
const synthesized = () => (templates ??= productionTemplates());

afterAll(() => {
  process.stdout.write(`\n${tally.table()}\n`);
  const deny = tally.attempts.filter((a) => a.expected === 'deny');
  expect(deny.filter((a) => a.outcome === 'allowed')).toEqual([]);
  expect(tally.attempts.filter((a) => a.expected === 'allow' && a.outcome === 'denied')).toEqual(
    [],
  );
});

describe('API: tenant tokens never act as the platform', () => apiAttacks(tally, synthesized));
describe('database: tenant A never reaches B', () => databaseAttacks(tally));
describe('files: a tenant session never reaches another tenant', () =>
  filesAttacks(tally, synthesized));
