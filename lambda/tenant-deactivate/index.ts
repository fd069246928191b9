import { readEnvironment } from '../shared/contract';
import { userAdminHandler } from '../shared/tenant-registry/user-admin-handler';
import { contract } from './contract';
import { deactivateTenant } from './deactivate-tenant';

export const handler = userAdminHandler(
  contract.name,
  readEnvironment(contract, process.env),
  deactivateTenant,
);
