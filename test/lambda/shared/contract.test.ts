import { z } from 'zod';
import {
  defineContract,
  environmentOf,
  environmentProblems,
  readEnvironment,
} from '../../../lambda/shared/contract';

const contract = defineContract(
  'example',
  {
    TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
    GRACE_DAYS: z.coerce.number().int().min(1),
    LEASE_MINUTES: z.coerce.number().int().min(1).optional(),
    AWS_REGION: z.string().min(1),
  },
  ['AWS_REGION'],
);

describe('function contract', () => {
  it('reads a complete environment into typed settings', () => {
    const settings = readEnvironment(contract, {
      TABLE_NAME: 'registry',
      GRACE_DAYS: '90',
      AWS_REGION: 'ap-southeast-2',
    });
    expect(settings).toEqual({
      TABLE_NAME: 'registry',
      GRACE_DAYS: 90,
      AWS_REGION: 'ap-southeast-2',
    });
  });

  it('fails naming every bad variable and the fix', () => {
    expect(() => readEnvironment(contract, { TABLE_NAME: 'x', AWS_REGION: 'r' })).toThrow(
      /example: invalid environment: TABLE_NAME: a DynamoDB table name \(got "x"\); GRACE_DAYS: .*\(missing\)\. Fix: set these variables/,
    );
    expect(environmentProblems(contract, {})).toHaveLength(3);
  });

  it('builds the construct side without the runtime variables and refuses unknown names', () => {
    expect(environmentOf(contract, { TABLE_NAME: 't', GRACE_DAYS: '90' })).toEqual({
      TABLE_NAME: 't',
      GRACE_DAYS: '90',
    });
    // @ts-expect-error a misspelt name is a type error
    expect(() => environmentOf(contract, { TABLE_NAME: 't', GRACE_DAY: '90' })).toThrow(
      /GRACE_DAY is not in the function's contract/,
    );
    // @ts-expect-error a missing required name is a type error
    environmentOf(contract, { TABLE_NAME: 't' });
  });
});
