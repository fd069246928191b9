import { z } from 'zod';

/** The severities alerts are routed by; each has an on-call topic of its own. */
export const ALERT_SEVERITIES = ['security', 'operational'] as const;

const severities = z
  .array(z.enum(ALERT_SEVERITIES, { error: 'must be "security" or "operational"' }))
  .min(1, { error: 'must list at least one severity ("security", "operational")' });

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

/** One person or system that receives alerts of some severities. */
export const alertSubscriptionSchema = z.discriminatedUnion(
  'protocol',
  [
    z.strictObject({
      /** An e-mail address; the recipient confirms the subscription from the first message. */
      protocol: z.literal('email'),
      endpoint: z.string().regex(EMAIL_PATTERN, { error: 'must be an e-mail address' }),
      /** The severities this address receives. */
      severities,
    }),
    z.strictObject({
      /** An HTTPS endpoint (an incident tool's webhook); it confirms the subscription URL. */
      protocol: z.literal('https'),
      endpoint: z.string().regex(/^https:\/\/[^\s/]+\.[^\s]+$/, { error: 'must be an https URL' }),
      /** The severities this endpoint receives. */
      severities,
    }),
  ],
  { error: 'protocol must be "email" or "https"' },
);

/** Who on-call is: the subscriptions of the environment's on-call topics. */
export const alertsSchema = z.strictObject({
  /** Production must have at least one subscriber for each severity. */
  subscriptions: z.array(alertSubscriptionSchema),
});

export type AlertsConfig = z.infer<typeof alertsSchema>;
export type AlertSubscriptionConfig = z.infer<typeof alertSubscriptionSchema>;
