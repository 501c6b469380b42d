/**
 * Pure scoring engine that evaluates the score rules a Questionnaire carries against a QuestionnaireResponse.
 */
package org.alliancefhir.scoring;
