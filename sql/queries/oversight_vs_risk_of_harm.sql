-- Areas where "management oversight" appears in an Area for improvement,
-- with the area's Risk of Harm score against the national average of its time.
SELECT
    area,
    year,
    count(*)                                              AS findings_mentioning,
    any_value(risk_of_harm_score)                         AS risk_of_harm_score,
    any_value(risk_of_harm_national_average)              AS national_average,
    any_value(risk_of_harm_score - risk_of_harm_national_average) AS difference
FROM v_findings
WHERE kind = 'improvement'
  AND text ILIKE '%management oversight%'
GROUP BY area, year
ORDER BY difference, area;
