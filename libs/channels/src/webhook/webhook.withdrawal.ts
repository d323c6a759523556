/**
 * The webhook body of a withdrawal notice. A kill (`story.withdrawn`) is final; a hold
 * (`story.withheld`) may be followed by a `story.published` of a later version that releases the
 * story. `data.itemId` is the id the story carried on every surface (feed GUID, Atom id), so a
 * receiver can find what to take down whatever it keyed on.
 */
import { STORY_WITHDRAWN_EVENT, STORY_WITHHELD_EVENT, type PublishableStory, type WithdrawalNotice } from '@syndication/contracts';

import { storyUrn } from '../channel';

export interface WithdrawalPayload {
  type: typeof STORY_WITHDRAWN_EVENT | typeof STORY_WITHHELD_EVENT;
  timestamp: string;
  data: {
    storyId: string;
    /** The partner's own id for the story (ninjs `uri`). */
    uri: string;
    itemId: string;
    partner: string;
    language: string;
    pubStatus: WithdrawalNotice['pubStatus'];
    /** The version that withdrew or held the story. */
    version: number;
    reason: string;
    withdrawnAt: string;
  };
}

export function buildWithdrawalPayload(notice: WithdrawalNotice, now = new Date()): WithdrawalPayload {
  return {
    type: notice.pubStatus === 'canceled' ? STORY_WITHDRAWN_EVENT : STORY_WITHHELD_EVENT,
    timestamp: now.toISOString(),
    data: {
      storyId: notice.storyId,
      uri: notice.uri,
      itemId: storyUrn({ storyId: notice.storyId, language: notice.language as PublishableStory['language'] }),
      partner: notice.partner,
      language: notice.language,
      pubStatus: notice.pubStatus,
      version: notice.version,
      reason: notice.reason,
      withdrawnAt: notice.at,
    },
  };
}
