#pragma once
// What the reference classifier answers: rules matched as case-insensitive phrases in the
// message, one per line (file or --rule):
//   score <category> <0..1> <phrase>   adds a category score (the highest per category wins)
//   verdict <action> <phrase>          answers a verdict ("hold", "mask+flag", ...)
//   delay <ms> <phrase>                answers that much later (for timeouts)
//   silent <phrase>                    never answers
//   garbage <phrase>                   answers something that is not JSON
//   error <phrase>                     answers {"error": ...}
// '#' starts a comment.

#include <QJsonObject>
#include <QList>
#include <QString>

namespace mythos::reference {

struct Rule
{
    enum class Kind { Score, Verdict, Delay, Silent, Garbage, Error };
    Kind kind = Kind::Score;
    QString phrase; // lower case
    QString category; // score
    double score = 0; // score
    QString verdict; // verdict
    int delayMs = 0; // delay
};

// Parses one rule line; an empty error string on success (comments and blanks give no rule).
QString parseRule(const QString &line, QList<Rule> &rules);

struct Answer
{
    QByteArray body; // empty: do not answer
    int delayMs = 0;
};

// The answer to one request, given every rule (and the global delay / garbage switches).
Answer answer(const QJsonObject &request, const QList<Rule> &rules, int delayMs, bool garbage);

} // namespace mythos::reference
