// The request header through which the custom server hands the CSP nonce to _document.
// The server overwrites any incoming value, so a client cannot choose its own nonce.
export const NONCE_HEADER = 'x-nonce';
