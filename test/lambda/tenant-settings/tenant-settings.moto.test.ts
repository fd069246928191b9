import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminApiEvent } from '../../../lambda/shared/lifecycle/api';
import { guardApi } from '../../../lambda/shared/lifecycle/api-guard';
import {
  checkSettings,
  DEFAULT_SETTINGS,
  DOCUMENT_KINDS,
  MODULES,
  PLAN_MODULES,
  PLANS,
} from '../../../lambda/shared/tenant-registry/settings';
import { SettingsStore } from '../../../lambda/shared/tenant-registry/settings-store';
import { updateSettings } from '../../../lambda/tenant-settings/update-settings';
import * as serviceReader from '../../../services/documents/src/tenants/tenant-settings';
import { apiEvent } from '../../support/lifecycle/api-events';
import {
  auditTrail,
  createRegistryTables,
  motoDocumentClient,
  registerTenant,
} from '../../support/lifecycle/registry-tables';
import type { TestMoto } from '../../support/moto';
import { startMoto } from '../../support/moto';

const ROUTE = 'PUT /tenants/{tenantId}/settings';
const put = (tenantId: string, body: unknown, claims?: Record<string, string>) =>
  apiEvent(tenantId, {
    routeKey: ROUTE,
    body: JSON.stringify(body),
    ...(claims ? { claims } : {}),
  });

describe('settings schema', () => {
  test('every problem at once, each with its field and its fix', () => {
    const check = checkSettings({
      schemaVersion: 1,
      plan: 'gold',
      modules: ['documents', 'teleport'],
      documents: { kinds: [] },
      colour: 'blue',
    });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems).toEqual([
      { field: 'settings.plan', fix: 'plan must be one of starter, standard, enterprise' },
      {
        field: 'settings.modules[1]',
        fix: 'each module must be one of documents, tracking, invoicing, routing',
      },
      {
        field: 'settings.documents.kinds',
        fix: 'enable at least one kind, or remove documents from modules',
      },
      { field: 'settings', fix: 'remove colour: not a setting of schema version 1' },
    ]);
  });

  test('a module outside the plan names the plans that have it', () => {
    const check = checkSettings({ schemaVersion: 1, plan: 'starter', modules: ['routing'] });
    expect(!check.ok && check.problems).toEqual([
      {
        field: 'settings.modules[0]',
        fix: 'module routing is not in plan starter: choose plan enterprise, or remove the module',
      },
    ]);
  });

  test('the documents service reads every valid document as the schema means it', () => {
    expect(serviceReader.DOCUMENT_KINDS).toEqual(DOCUMENT_KINDS);
    expect(serviceReader.KNOWN_SCHEMA_VERSIONS).toEqual([1]);
    expect(serviceReader.DEFAULT_SETTINGS).toMatchObject(DEFAULT_SETTINGS);
    expect(MODULES).toContain(serviceReader.DOCUMENTS_MODULE);
    for (const plan of PLANS) {
      for (const kinds of [undefined, ['signature'], [...DOCUMENT_KINDS]]) {
        const value = {
          schemaVersion: 1,
          plan,
          modules: [...PLAN_MODULES[plan]],
          ...(kinds ? { documents: { kinds } } : {}),
        };
        const check = checkSettings(value);
        expect(check.ok).toBe(true);
        expect(serviceReader.settingsFromItem('t', value)).toEqual({
          schemaVersion: 1,
          plan,
          modules: PLAN_MODULES[plan],
          documentKinds: kinds ?? DOCUMENT_KINDS,
        });
      }
    }
    // A version the service does not know is unreadable, never read as something else.
    expect(() =>
      serviceReader.settingsFromItem('t', { schemaVersion: 2, plan: 'x', modules: [] }),
    ).toThrow(/schemaVersion 2 is not one of 1/);
  });
});

describe('PUT /tenants/{tenantId}/settings against moto', () => {
  let moto: TestMoto;
  let deps: Parameters<typeof updateSettings>[0];
  let tables: { registry: string; audit: string };
  let doc: ReturnType<typeof motoDocumentClient>['doc'];
  const logger = new Logger({ serviceName: 'settings-test', logLevel: 'SILENT' });
  const handle = (event: AdminApiEvent) => guardApi(logger, event, (e) => updateSettings(deps, e));

  beforeAll(async () => {
    moto = await startMoto();
    const clients = motoDocumentClient(moto);
    doc = clients.doc;
    tables = await createRegistryTables(clients.ddb);
    deps = {
      store: new SettingsStore(doc, tables),
      clock: () => new Date('2026-12-01T10:00:00Z'),
      logger,
    };
    await registerTenant(doc, tables.registry, 'acme');
    await registerTenant(doc, tables.registry, 'gone', { lifecycleState: 'PURGED' });
  }, 60_000);
  afterAll(async () => moto?.stop());

  const settings = {
    schemaVersion: 1,
    plan: 'starter',
    modules: ['tracking'],
  };

  test('a valid change is written with its audit item, the version moving on by one', async () => {
    const response = await handle(put('acme', { settings, reason: 'PLAN_CHANGED' }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ tenantId: 'acme', version: 2, settings });
    const item = (
      await doc.send(new GetCommand({ TableName: tables.registry, Key: { tenantId: 'acme' } }))
    ).Item!;
    expect(item).toMatchObject({ settings, version: 2, lifecycleState: 'ACTIVE' });
    // What the documents service reads from that item: the module is off.
    expect(serviceReader.settingsFromItem('acme', item.settings).modules).toEqual(['tracking']);
    expect(await auditTrail(doc, tables.audit, 'acme')).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        version: 2,
        event: 'settings-change',
        fromState: 'ACTIVE',
        toState: 'ACTIVE',
        actorKind: 'user',
        actorId: 'admin-sub-1',
        reason: 'PLAN_CHANGED',
        details: {
          settingsSchemaVersion: 1,
          plan: 'starter',
          modules: 'tracking',
          previousPlan: 'standard',
          previousModules: 'documents',
        },
      }),
    ]);
  });

  test('invalid settings are refused with field and fix, and nothing is written', async () => {
    const response = await handle(
      put('acme', { settings: { ...settings, modules: ['invoicing'] }, reason: 'MODULES_CHANGED' }),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: 'INVALID_INPUT',
      problems: [
        {
          field: 'settings.modules[0]',
          fix: expect.stringMatching(/choose plan standard or enterprise/),
        },
      ],
    });
    const item = (
      await doc.send(new GetCommand({ TableName: tables.registry, Key: { tenantId: 'acme' } }))
    ).Item!;
    expect(item.version).toBe(2);
    expect(await auditTrail(doc, tables.audit, 'acme')).toHaveLength(1);
  });

  test('a reason is required; a purged or unknown tenant has no settings', async () => {
    expect((await handle(put('acme', { settings }))).statusCode).toBe(400);
    expect(
      JSON.parse((await handle(put('gone', { settings, reason: 'PLAN_CHANGED' }))).body),
    ).toMatchObject({
      error: 'WRONG_STATE',
    });
    expect((await handle(put('nobody', { settings, reason: 'PLAN_CHANGED' }))).statusCode).toBe(
      404,
    );
  });

  test('only an operator with tenants.admin may change settings', async () => {
    for (const claims of <Record<string, string>[]>[
      { sub: 'reader', token_use: 'access', scope: 'https://admin.example/tenants.read' },
      {
        sub: 'user',
        token_use: 'access',
        scope: 'https://admin.example/tenants.admin',
        tenant_id: 'acme',
      },
    ]) {
      const response = await handle(
        put('acme', { settings: DEFAULT_SETTINGS, reason: 'PLAN_CHANGED' }, claims),
      );
      expect(response.statusCode).toBe(403);
    }
    const item = (
      await doc.send(new GetCommand({ TableName: tables.registry, Key: { tenantId: 'acme' } }))
    ).Item!;
    expect(item.version).toBe(2);
  });
});
