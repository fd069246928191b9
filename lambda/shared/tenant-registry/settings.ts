import * as z from 'zod';

/**
 * A tenant's plan, enabled modules and module settings, as the registry holds them (attribute
 * `settings` of the tenant's item), under a typed, versioned schema. Written only by the admin
 * API's settings route (`lambda/tenant-settings`), which refuses anything this schema refuses;
 * read by services through their small cached clients (services/documents:
 * `src/tenants/tenant-settings.ts`, which fails closed on a version it does not know).
 *
 * A new version adds a schema here (`TenantSettingsV2`), keeps V1 readable, and services learn
 * it before the settings route starts writing it.
 */

export const SETTINGS_SCHEMA_VERSION = 1;

export const PLANS = ['starter', 'standard', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** The platform's tenant modules (one per tenant-facing service). */
export const MODULES = ['documents', 'tracking', 'invoicing', 'routing'] as const;
export type Module = (typeof MODULES)[number];

/** What each plan may enable. */
export const PLAN_MODULES: Readonly<Record<Plan, readonly Module[]>> = {
  starter: ['documents', 'tracking'],
  standard: ['documents', 'tracking', 'invoicing'],
  enterprise: ['documents', 'tracking', 'invoicing', 'routing'],
};

/** Document kinds of the documents module. */
export const DOCUMENT_KINDS = ['manifest', 'signature', 'invoice', 'photo'] as const;

const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

export const TenantSettingsV1 = z
  .strictObject(
    {
      schemaVersion: z.literal(1, { error: 'schemaVersion must be 1 (the current version)' }),
      plan: z.enum(PLANS, { error: `plan must be one of ${PLANS.join(', ')}` }),
      modules: z
        .array(z.enum(MODULES, { error: `each module must be one of ${MODULES.join(', ')}` }))
        .refine(unique, 'list each module once'),
      documents: z
        .strictObject({
          kinds: z
            .array(
              z.enum(DOCUMENT_KINDS, {
                error: `each kind must be one of ${DOCUMENT_KINDS.join(', ')}`,
              }),
            )
            .min(1, 'enable at least one kind, or remove documents from modules')
            .refine(unique, 'list each kind once'),
        })
        .optional(),
    },
    {
      error: 'settings must be a JSON object {"schemaVersion": 1, "plan", "modules", "documents"?}',
    },
  )
  .superRefine((settings, ctx) => {
    settings.modules.forEach((module, i) => {
      if (!PLAN_MODULES[settings.plan].includes(module)) {
        const plans = PLANS.filter((p) => PLAN_MODULES[p].includes(module));
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i],
          message: `module ${module} is not in plan ${settings.plan}: choose plan ${plans.join(' or ')}, or remove the module`,
        });
      }
    });
    if (settings.documents && !settings.modules.includes('documents')) {
      ctx.addIssue({
        code: 'custom',
        path: ['documents'],
        message: 'documents settings need the documents module: add it to modules, or remove them',
      });
    }
  });
export type TenantSettings = z.infer<typeof TenantSettingsV1>;

/** A tenant registered before settings existed: the standard plan with documents. */
export const DEFAULT_SETTINGS: TenantSettings = {
  schemaVersion: 1,
  plan: 'standard',
  modules: ['documents'],
};

/** One problem of a settings document: where (`settings.modules[1]`) and what to do. */
export interface SettingsProblem {
  readonly field: string;
  readonly fix: string;
}

export type SettingsCheck =
  | { readonly ok: true; readonly settings: TenantSettings }
  | { readonly ok: false; readonly problems: readonly SettingsProblem[] };

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : `${out}.${String(part)}`),
    'settings',
  );
}

/** Checks a settings document; every problem at once, each with its field and its fix. */
export function checkSettings(value: unknown): SettingsCheck {
  const parsed = TenantSettingsV1.safeParse(value);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      field: fieldOf(issue.path),
      fix:
        issue.code === 'unrecognized_keys'
          ? `remove ${issue.keys.join(', ')}: not a setting of schema version 1`
          : issue.message,
    })),
  };
}

/** The settings of a registry item (absent: the default); a stored document that fails is corrupt. */
export function settingsOfItem(tenantId: string, item: Record<string, unknown>): TenantSettings {
  if (item.settings === undefined) return DEFAULT_SETTINGS;
  const check = checkSettings(item.settings);
  if (!check.ok) {
    throw new Error(
      `corrupt registry item ${tenantId}: ${check.problems.map((p) => `${p.field}: ${p.fix}`).join('; ')}`,
    );
  }
  return check.settings;
}
