/**
 * The restore sentinel object: written to the file bucket when the Storage stack is created and
 * whenever its bucket, key or this body changes (`RestoreSentinelObject`), outside every tenant's
 * prefix; restore validation fails a restored bucket that lacks it or holds other bytes under its
 * key.
 */
export const SENTINEL_OBJECT_KEY = 'platform/restore-sentinel.json';
/** The exact body of the sentinel object. */
export const SENTINEL_OBJECT_BODY = JSON.stringify({
  sentinel: 'platform-restore-sentinel',
  purpose: 'restore validation: a restored file bucket without this object is empty or short',
  version: 1,
});
