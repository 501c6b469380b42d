/**
 * The feedback outbox: requests record in their own transaction that feedback is due, workers on every node claim a
 * client at a time and derive it after the commit.
 */
package org.alliancefhir.outbox;
