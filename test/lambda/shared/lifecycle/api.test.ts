import type { AdminApiEvent } from '../../../../lambda/shared/lifecycle/api';
import { adminRequestOf } from '../../../../lambda/shared/lifecycle/api';

/** An admin API event as API Gateway hands it over (HTTP API, JWT authorizer). */
function event(parts: { tenantId?: string; sub?: string; body?: string }): AdminApiEvent {
  return {
    pathParameters: parts.tenantId === undefined ? {} : { tenantId: parts.tenantId },
    requestContext: { authorizer: { jwt: { claims: parts.sub ? { sub: parts.sub } : {} } } },
    body: parts.body,
    isBase64Encoded: false,
  } as unknown as AdminApiEvent;
}

function read(e: AdminApiEvent, reasonRequired = true) {
  const logged: [string, Record<string, unknown>][] = [];
  const result = adminRequestOf(e, {
    action: 'deactivation',
    reasonRequired,
    logger: { warn: (message, attributes) => logged.push([message, attributes]) },
  });
  return { result, logged };
}

const statusOf = (r: ReturnType<typeof read>['result']) =>
  'response' in r ? r.response.statusCode : 200;

test('a valid request yields the tenant, the caller and the reason code', () => {
  const { result, logged } = read(
    event({ tenantId: 'acme', sub: 'user-1', body: '{"reason":"CUSTOMER_REQUEST"}' }),
  );
  expect(result).toEqual({
    request: {
      tenantId: 'acme',
      actor: { kind: 'user', id: 'user-1' },
      reason: 'CUSTOMER_REQUEST',
    },
  });
  expect(logged).toEqual([]);
});

test('the tenant id is checked first, then the caller, then the reason', () => {
  // everything wrong: the path is named
  const bad = read(event({ tenantId: '../other', body: 'not json' }));
  expect(statusOf(bad.result)).toBe(400);
  expect(bad.logged).toEqual([
    ['deactivation refused', { code: 'INVALID_INPUT', field: 'tenantId' }],
  ]);
  // no sub and no client_id: 401 before the body is read
  const anonymous = read(event({ tenantId: 'acme', body: 'not json' }));
  expect(statusOf(anonymous.result)).toBe(401);
  expect(anonymous.logged[0]?.[0]).toBe('deactivation refused: no actor in the JWT');
});

test('a free-text reason is refused and never logged', () => {
  const text = 'Jane Doe asked on the phone';
  const { result, logged } = read(
    event({ tenantId: 'acme', sub: 'user-1', body: JSON.stringify({ reason: text }) }),
  );
  expect(statusOf(result)).toBe(400);
  expect('response' in result && JSON.parse(result.response.body)).toMatchObject({
    error: 'INVALID_INPUT',
    details: { field: 'reason' },
  });
  expect(logged).toEqual([
    ['deactivation refused', { tenantId: 'acme', code: 'INVALID_INPUT', field: 'reason' }],
  ]);
  expect(JSON.stringify(logged)).not.toContain('Jane');
});

test('where the route makes the reason optional, none given is the empty reason', () => {
  const optional = read(event({ tenantId: 'acme', sub: 'user-1' }), false);
  expect('request' in optional.result && optional.result.request.reason).toBe('');
  const required = read(event({ tenantId: 'acme', sub: 'user-1' }), true);
  expect(statusOf(required.result)).toBe(400);
});
