export { HeraldClient, type AcceptedMessage, type BatchSendRequest, type HeraldClientOptions, type HeraldResponse, type MessagePage, type MessageQuery, type MessageView, type QueryOf, type RequestBody, type RequestOptions, type ResponseOf, type SendRequest } from './herald-client.ts';
export { HeraldApiError, HeraldNetworkError, type HeraldProblem } from './herald-api-error.ts';
export { HeraldSignatureError, SIGNATURE_HEADER, TIMESTAMP_HEADER, subscriberHash, verifyHeraldSignature, type SignatureFailure, type VerifySignatureInput } from './signature-verification.ts';
export { NONCE_HEADER, signRequest, type SignInput } from './sigv4-signer.ts';
export type { components, paths } from './api-types.ts';
