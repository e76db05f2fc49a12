import { endpoint } from './endpoint';
import { SearchRequest, SearchResponse } from './search';

export const searchEndpoints = {
  search: endpoint({ method: 'GET', path: '/api/v1/search', access: 'user', summary: 'Search the messages I may read, newest first, with highlights', query: SearchRequest, response: SearchResponse, status: 200 }),
} as const;
