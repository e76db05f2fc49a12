export { EnclaveClient, type ClientOptions } from './client';
export { EnclaveApiError } from './errors';
export { EnclaveStream, type SocketFactory, type SocketLike, type StreamOptions, type StreamState } from './stream';
