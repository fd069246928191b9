import { userAdminHandler } from '../shared/tenant-registry/user-admin-handler';
import { reactivateTenant } from './reactivate-tenant';

export const handler = userAdminHandler('tenant-reactivate', {}, reactivateTenant);
