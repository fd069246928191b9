import { defineContract } from '../shared/contract';

/** The placeholder answers a constant: it reads no setting at all. */
export const contract = defineContract('not-implemented', {});
