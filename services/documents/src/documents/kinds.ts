import type { DocumentKind } from '../tenants/tenant-settings';

/** What may be uploaded as each kind: content types and the largest size. */
export interface KindRules {
  readonly contentTypes: readonly string[];
  readonly maxBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Per kind, from the mobile app and the back office: manifests as PDF, XML or CSV; signatures
 * as small PNG or JPEG images (no SVG, which can carry script); scanned invoices as PDF or
 * images; photos as JPEG, PNG or HEIC. S3 itself enforces both in the upload form's policy.
 */
export const KIND_RULES: Readonly<Record<DocumentKind, KindRules>> = {
  manifest: {
    contentTypes: ['application/pdf', 'application/xml', 'text/csv'],
    maxBytes: 10 * MiB,
  },
  signature: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 1 * MiB },
  invoice: {
    contentTypes: ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'],
    maxBytes: 20 * MiB,
  },
  photo: { contentTypes: ['image/jpeg', 'image/png', 'image/heic'], maxBytes: 15 * MiB },
};
