/**
 * The snapshot's resources from Azure Resource Graph: one query over up to 1,000 subscriptions per
 * request (Resource Graph's limit), every page read with the `$skipToken` of the one before, so a
 * thousand subscriptions of a few thousand resources take a handful of requests.
 */
import type { QueryResponse, ResourceGraphClient } from '@azure/arm-resourcegraph'
import type { ArmResource } from '../model/armResource.js'
import { snapshotFailure } from './failures.js'
import { resourceOfRow } from './rows.js'

/** Subscriptions one Resource Graph request may name. */
export const SUBSCRIPTIONS_PER_QUERY = 1000
/** Rows per page: Resource Graph's largest page. */
export const DEFAULT_PAGE_SIZE = 1000

export interface PageProgress {
  pages: number
  resources: number
  batch: number
  batches: number
}

export interface ResourceGraphRead {
  query: string
  subscriptions: readonly string[]
  pageSize: number
  onPage?: (progress: PageProgress) => void
}

export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = []
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size))
  return batches
}

/** Every row of the query over the subscriptions, as ARM resource bodies; the pages read. */
export async function readResourceGraph(client: ResourceGraphClient, read: ResourceGraphRead): Promise<{ resources: ArmResource[]; pages: number }> {
  const resources: ArmResource[] = []
  const batches = batchesOf(read.subscriptions, SUBSCRIPTIONS_PER_QUERY)
  let pages = 0
  for (const [index, subscriptions] of batches.entries()) {
    let skipToken: string | undefined
    do {
      let answer: QueryResponse
      try {
        answer = await client.resources({
          subscriptions,
          query: read.query,
          options: { top: read.pageSize, resultFormat: 'objectArray', ...(skipToken === undefined ? {} : { skipToken }) },
        })
      } catch (error) {
        throw snapshotFailure(`the resources of ${describeSubscriptions(subscriptions)} from Azure Resource Graph (page ${pages + 1})`, error)
      }
      pages += 1
      if (!Array.isArray(answer.data)) {
        throw snapshotFailure(`Azure Resource Graph page ${pages}`, new Error(`its data is not a list of rows (resultFormat objectArray was asked); the answer had ${typeof answer.data}`))
      }
      for (const row of answer.data as unknown[]) {
        const read = resourceOfRow(row)
        if ('unreadable' in read) throw snapshotFailure(`Azure Resource Graph page ${pages}`, new Error(read.unreadable))
        resources.push(read.resource)
      }
      if (answer.resultTruncated === 'true' && !answer.skipToken) {
        throw snapshotFailure(`Azure Resource Graph page ${pages}`, new Error('the result was truncated without a $skipToken to read the rest'))
      }
      skipToken = answer.skipToken || undefined
      read.onPage?.({ pages, resources: resources.length, batch: index + 1, batches: batches.length })
    } while (skipToken !== undefined)
  }
  return { resources, pages }
}

/** `subscription <id>` or `subscriptions <a>, <b> and 998 more`, for messages. */
export function describeSubscriptions(subscriptions: readonly string[]): string {
  if (subscriptions.length === 1) return `subscription ${subscriptions[0]}`
  const shown = subscriptions.slice(0, 3).join(', ')
  return `subscriptions ${shown}${subscriptions.length > 3 ? ` and ${subscriptions.length - 3} more` : ''}`
}
