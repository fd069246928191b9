import { userAdminHandler } from '../shared/tenant-registry/user-admin-handler';
import { deactivateTenant } from './deactivate-tenant';

export const handler = userAdminHandler('tenant-deactivate', { graceDays: true }, deactivateTenant);
