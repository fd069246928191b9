import { z } from 'zod';
import { defineContract } from '../shared/contract';

/** The tenant pool's pre-token-generation trigger: reads the tenant's state in the registry. */
export const contract = defineContract('tenant-pre-token', {
  /** The tenant registry table (read only). */
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
});
