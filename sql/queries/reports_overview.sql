-- Every loaded report in one line: area, year, region, the three headline scores with their
-- improvement level (CCI) or overall rating and score (2018+), how many strengths, areas for
-- improvement and recommendations it has; for the generic layer, the kind of publication.
SELECT
    area,
    year,
    region,
    safeguarding_score,
    safeguarding_improvement,
    risk_of_harm_score,
    risk_of_harm_improvement,
    likelihood_of_reoffending_score,
    likelihood_of_reoffending_improvement,
    strengths,
    improvements,
    recommendations,
    file_name,
    report_id,
    template,
    overall_rating,
    rating_score,
    rating_score_max,
    generic_layer,
    publication,
    source_kind
FROM v_report_summary
ORDER BY area, year, report_id;
