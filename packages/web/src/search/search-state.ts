import type { SearchResult } from '@enclave/protocol';

export interface SearchState {
  /** Which search's answers count: every new search has the next number, so a late answer to an older one is dropped. */
  generation: number;
  /** `searching` keeps the previous results on screen (dimmed) until the new ones arrive. */
  status: 'idle' | 'searching' | 'done' | 'failed';
  results: SearchResult[];
  nextCursor: string | null;
  loadingMore: boolean;
  /** The server's translated reason when the search (status `failed`) or its next page failed. */
  error: string | undefined;
}

export type SearchAction =
  /** No words to search for. */
  | { type: 'cleared'; generation: number }
  | { type: 'started'; generation: number }
  | { type: 'more-started'; generation: number }
  /** `more`: the next page of the same search, added below. */
  | { type: 'page-loaded'; generation: number; more: boolean; results: SearchResult[]; nextCursor: string | null }
  | { type: 'failed'; generation: number; more: boolean; error: string };

export const IDLE_SEARCH: SearchState = { generation: 0, status: 'idle', results: [], nextCursor: null, loadingMore: false, error: undefined };

export function searchReducer(state: SearchState, action: SearchAction): SearchState {
  switch (action.type) {
    case 'cleared':
      return { ...IDLE_SEARCH, generation: action.generation };
    case 'started':
      return { ...state, generation: action.generation, status: 'searching', nextCursor: null, loadingMore: false, error: undefined };
    default:
      if (action.generation !== state.generation) return state;
      return answer(state, action);
  }
}

function answer(state: SearchState, action: Exclude<SearchAction, { type: 'cleared' | 'started' }>): SearchState {
  switch (action.type) {
    case 'more-started':
      return { ...state, loadingMore: true, error: undefined };
    case 'page-loaded':
      return {
        ...state,
        status: 'done',
        results: action.more ? [...state.results, ...action.results] : action.results,
        nextCursor: action.nextCursor,
        loadingMore: false,
      };
    case 'failed':
      return action.more ? { ...state, loadingMore: false, error: action.error } : { ...state, status: 'failed', results: [], error: action.error };
  }
}
