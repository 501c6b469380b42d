/** Feedback-informed treatment: cut-offs, change rules, split-alliance indices and alerts. */
package org.alliancefhir.feedback;
