package dev.taskpoller.provider.declarative;

import com.jayway.jsonpath.JsonPath;

/**
 * A definition's batch status call ({@code spec.statusCall.batch}): many ids in one body, the answer's items matched
 * back by id. An id without an item is {@code missingReason} (AceData's {@code not_found}: a batch answer leaves out
 * the ids it does not know), but only when the answer's {@code count}, where it has one, agrees with its items: an
 * answer that may be cut short gives its missing ids a retryable {@code bad_response} instead.
 *
 * @param maxSize the most ids one call may ask about
 * @param body    the request body, {@code {taskIds}} standing for the ids as a JSON array
 * @param items   where the answer's items are (an array)
 * @param itemId  where an item's task id is, in the item
 * @param count   where the answer says how many items it holds, or null when it does not
 */
record BatchCall(int maxSize, String body, JsonPath items, JsonPath itemId, JsonPath count, MessageTemplates noItems,
                 String missingReason, MessageTemplates missingMessage, MessageTemplates incomplete) {
}
