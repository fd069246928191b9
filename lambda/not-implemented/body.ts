/** The JSON body every placeholder route answers with (status 501). */
export const NOT_IMPLEMENTED_BODY = {
  error: 'NOT_IMPLEMENTED',
  message:
    'tenant administration is not deployed in this environment yet: the lifecycle handlers are ' +
    'not attached to this API',
} as const;
