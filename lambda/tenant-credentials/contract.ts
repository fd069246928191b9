import { z } from 'zod';
import { defineContract } from '../shared/contract';

/** The token-vending function: tenant token in, credentials of the tenant session role out. */
export const contract = defineContract('tenant-credentials', {
  /** The tenant pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  ISSUER: z
    .string()
    .regex(/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+$/, 'a Cognito issuer URL'),
  /** The tenant pool's app client ids, comma-separated: the accepted token audiences. */
  CLIENT_IDS: z.string().regex(/^[\w]+(,[\w]+)*$/, 'comma-separated app client ids'),
  /** The tenant session role (carries the tenant file access policy). */
  TENANT_ROLE_ARN: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'a role ARN'),
  /** The tenant registry table (read only). */
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
});
