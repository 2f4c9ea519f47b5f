#include "annotationrepository.h"

#include "auditrepository.h"
#include "core/geometry.h"
#include "database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace annotune::core::store {
namespace {

constexpr const char *kInsert =
    "INSERT INTO annotations(id, item_id, class_id, kind, x, y, w, h, points, word_ids, value, raw_text, "
    "run_id, score, author, created_at, updated_at, revision, attributes) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char *kSelect =
    "SELECT id, item_id, class_id, kind, x, y, w, h, points, word_ids, value, raw_text, run_id, score, author, "
    "created_at, updated_at, revision, attributes FROM annotations";

const char *kindName(AnnotationKind k)
{
    switch (k) {
    case AnnotationKind::Box: return "box";
    case AnnotationKind::Polygon: return "polygon";
    case AnnotationKind::Tag: return "tag";
    case AnnotationKind::Field: return "field";
    case AnnotationKind::Polyline: return "polyline";
    case AnnotationKind::Points: return "points";
    case AnnotationKind::Ellipse: return "ellipse";
    case AnnotationKind::Mask: return "mask";
    }
    return "box";
}

// Binds every column of kInsert. authorUtf8 and the scratch buffers must live until the step.
struct Scratch {
    QByteArray points, ids, value, raw, author, attributes;
};

void bindAnnotation(Statement &st, const Annotation &a, const QByteArray &authorUtf8, qint64 now, Scratch &s)
{
    a.id ? st.bind(1, a.id) : st.bindNull(1);
    st.bind(2, a.itemId).bind(3, a.classId).bindStatic(4, kindName(a.kind));
    if (a.kind == AnnotationKind::Tag) {
        st.bindNull(5).bindNull(6).bindNull(7).bindNull(8);
    } else {
        st.bind(5, a.box.x()).bind(6, a.box.y()).bind(7, a.box.width()).bind(8, a.box.height());
    }
    if (!a.polygon.isEmpty()) {
        s.points = encodePoints(a.polygon);
        st.bindBlob(9, s.points.constData(), int(s.points.size()));
    } else {
        st.bindNull(9);
    }
    if (a.kind == AnnotationKind::Field) {
        s.ids = encodeIds(a.wordIds);
        s.value = a.value.toUtf8();
        s.raw = a.rawText.toUtf8();
        st.bindBlob(10, s.ids.constData(), int(s.ids.size()));
        st.bindUtf8(11, s.value).bindUtf8(12, s.raw);
    } else {
        st.bindNull(10).bindNull(11).bindNull(12);
    }
    st.bind(13, a.runId).bind(14, a.score);
    if (a.author.isEmpty()) {
        st.bindUtf8(15, authorUtf8);
    } else {
        s.author = a.author.toUtf8();
        st.bindUtf8(15, s.author);
    }
    st.bind(16, a.createdAt ? a.createdAt : now).bind(17, now).bind(18, a.revision);
    if (a.attributes.isEmpty()) {
        st.bindNull(19);
    } else {
        s.attributes = QJsonDocument(a.attributes).toJson(QJsonDocument::Compact);
        st.bindUtf8(19, s.attributes);
    }
}

// A column's bytes seen as a QByteArray without a copy (valid until the statement steps on).
QByteArray borrowed(std::string_view bytes) { return QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size())); }

AnnotationKind kindFromUtf8(std::string_view text)
{
    for (AnnotationKind k : {AnnotationKind::Box, AnnotationKind::Polygon, AnnotationKind::Tag, AnnotationKind::Field,
                             AnnotationKind::Polyline, AnnotationKind::Points, AnnotationKind::Ellipse, AnnotationKind::Mask})
        if (text == kindName(k))
            return k;
    return AnnotationKind::Box;
}

Annotation readAnnotation(Statement &st)
{
    Annotation a;
    a.id = st.int64(0);
    a.itemId = st.int64(1);
    a.classId = st.int64(2);
    a.kind = annotationKindFromString(st.text(3)).value_or(AnnotationKind::Box);
    if (!st.isNull(4))
        a.box = QRectF(st.real(4), st.real(5), st.real(6), st.real(7));
    if (!st.isNull(8))
        a.polygon = decodePoints(st.blob(8));
    if (!st.isNull(9))
        a.wordIds = decodeIds(st.blob(9));
    a.value = st.text(10);
    a.rawText = st.text(11);
    if (!st.isNull(12))
        a.runId = st.int64(12);
    if (!st.isNull(13))
        a.score = st.real(13);
    a.author = st.text(14);
    a.createdAt = st.int64(15);
    a.updatedAt = st.int64(16);
    a.revision = st.integer(17);
    if (!st.isNull(18))
        a.attributes = QJsonDocument::fromJson(st.blob(18)).object();
    return a;
}

} // namespace

Result<Id> AnnotationRepository::add(const Annotation &a, const QString &author)
{
    return guarded(QStringLiteral("item %1: annotation").arg(a.itemId), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached(kInsert);
        Scratch scratch;
        const QByteArray authorUtf8 = author.toUtf8();
        bindAnnotation(*st, a, authorUtf8, nowMs(), scratch);
        st->exec();
        Annotation stored = a;
        stored.id = m_db.lastInsertId();
        m_audit.append(author, QStringLiteral("annotation.add"), QStringLiteral("annotation"), stored.id, {}, toJson(stored));
        tx.commit();
        return stored.id;
    });
}

Status AnnotationRepository::update(const Annotation &a, const QString &author)
{
    return guarded(QStringLiteral("annotation %1").arg(a.id), [&]() -> Status {
        Transaction tx(m_db);
        auto before = get(a.id);
        if (!before)
            return before.error();
        Annotation next = a;
        next.revision = before->revision + 1;
        next.createdAt = before->createdAt;
        next.author = before->author;
        auto del = m_db.cached("DELETE FROM annotations WHERE id=?");
        del->bind(1, a.id);
        del->exec();
        auto st = m_db.cached(kInsert);
        Scratch scratch;
        const QByteArray authorUtf8 = author.toUtf8();
        bindAnnotation(*st, next, authorUtf8, nowMs(), scratch);
        st->exec();
        m_audit.append(author, QStringLiteral("annotation.update"), QStringLiteral("annotation"), a.id,
                       toJson(*before), toJson(next));
        tx.commit();
        return {};
    });
}

Status AnnotationRepository::remove(Id id, const QString &author)
{
    return guarded(QStringLiteral("annotation %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        auto before = get(id);
        if (!before)
            return before.error();
        auto del = m_db.cached("DELETE FROM annotations WHERE id=?");
        del->bind(1, id);
        del->exec();
        m_audit.append(author, QStringLiteral("annotation.remove"), QStringLiteral("annotation"), id, toJson(*before), {});
        tx.commit();
        return {};
    });
}

Result<Annotation> AnnotationRepository::get(Id id)
{
    return guarded(QStringLiteral("annotation %1").arg(id), [&]() -> Result<Annotation> {
        static const QByteArray sql = QByteArray(kSelect) + " WHERE id=?";
        auto st = m_db.cached(sql.constData());
        st->bind(1, id);
        if (!st->step())
            return makeError(ErrorCode::NotFound, QStringLiteral("annotation %1: no such annotation").arg(id));
        return readAnnotation(*st);
    });
}

Result<QVector<Annotation>> AnnotationRepository::forItem(Id itemId)
{
    return guarded(QStringLiteral("item %1: annotations").arg(itemId), [&]() -> Result<QVector<Annotation>> {
        static const QByteArray sql = QByteArray(kSelect) + " WHERE item_id=? ORDER BY id";
        auto st = m_db.cached(sql.constData());
        st->bind(1, itemId);
        QVector<Annotation> out;
        while (st->step())
            out.append(readAnnotation(*st));
        return out;
    });
}

Result<QVector<Annotation>> AnnotationRepository::forClass(Id classId)
{
    return guarded(QStringLiteral("class %1: annotations").arg(classId), [&]() -> Result<QVector<Annotation>> {
        static const QByteArray sql = QByteArray(kSelect) + " WHERE class_id=? ORDER BY id";
        auto st = m_db.cached(sql.constData());
        st->bind(1, classId);
        QVector<Annotation> out;
        while (st->step())
            out.append(readAnnotation(*st));
        return out;
    });
}

namespace {
QJsonArray idArray(const QVector<Id> &ids)
{
    QJsonArray out;
    for (Id id : ids)
        out.append(id);
    return out;
}
} // namespace

Status AnnotationRepository::setClassOf(const QVector<Id> &ids, Id classId, const QString &author)
{
    return guarded(QStringLiteral("class %1: reassigning labels").arg(classId), [&]() -> Status {
        Transaction tx(m_db);
        auto st = m_db.cached("UPDATE annotations SET class_id=?, updated_at=?, revision=revision+1 WHERE id=?");
        const qint64 now = nowMs();
        for (Id id : ids) {
            st->bind(1, classId).bind(2, now).bind(3, id);
            st->exec();
            st->reset();
            if (m_db.changes() != 1)
                return makeError(ErrorCode::NotFound, QStringLiteral("annotation %1: no such annotation").arg(id));
        }
        m_audit.append(author, QStringLiteral("annotation.reclass"), QStringLiteral("annotation"), ids.value(0), {},
                       {{QStringLiteral("class"), classId}, {QStringLiteral("ids"), idArray(ids)}});
        tx.commit();
        return {};
    });
}

Status AnnotationRepository::removeMany(const QVector<Id> &ids, const QString &author)
{
    return guarded(QStringLiteral("annotations"), [&]() -> Status {
        Transaction tx(m_db);
        auto st = m_db.cached("DELETE FROM annotations WHERE id=?");
        for (Id id : ids) {
            st->bind(1, id);
            st->exec();
            st->reset();
            if (m_db.changes() != 1)
                return makeError(ErrorCode::NotFound, QStringLiteral("annotation %1: no such annotation").arg(id));
        }
        m_audit.append(author, QStringLiteral("annotation.removeMany"), QStringLiteral("annotation"), ids.value(0),
                       {{QStringLiteral("ids"), idArray(ids)}}, {});
        tx.commit();
        return {};
    });
}

namespace {

// Checks that every item, class and run the batch refers to exists, once per distinct id, and
// returns an error naming the first record that refers to a missing one.
Status checkReferences(Database &db, const QVector<Annotation> &annotations)
{
    QSet<Id> items, classes, runs;
    auto item = db.cached("SELECT 1 FROM items WHERE id=?");
    auto cls = db.cached("SELECT 1 FROM classes WHERE id=?");
    auto run = db.cached("SELECT 1 FROM runs WHERE id=?");
    auto exists = [](Database::Lease &st, QSet<Id> &seen, Id id) {
        if (seen.contains(id))
            return true;
        st->bind(1, id);
        const bool found = st->step();
        st->reset();
        if (found)
            seen.insert(id);
        return found;
    };
    for (qsizetype i = 0; i < annotations.size(); ++i) {
        const Annotation &a = annotations[i];
        const char *what = !exists(item, items, a.itemId)                 ? "item"
                           : !exists(cls, classes, a.classId)             ? "class"
                           : (a.runId && !exists(run, runs, *a.runId))    ? "run"
                                                                          : nullptr;
        if (what)
            return makeError(ErrorCode::BadInput, QStringLiteral("annotation %1 of the batch: no such %2 (%3)")
                                                      .arg(i).arg(QLatin1String(what))
                                                      .arg(QString::number(what[0] == 'i' ? a.itemId : what[0] == 'c' ? a.classId : *a.runId)));
    }
    return {};
}

} // namespace

Result<qint64> AnnotationRepository::insertMany(const QVector<Annotation> &annotations, const QString &author)
{
    return guarded(QStringLiteral("annotations"), [&]() -> Result<qint64> {
        if (Status refs = checkReferences(m_db, annotations); !refs)
            return refs.error();
        ForeignKeysOff fastPath(m_db);
        Transaction tx(m_db);
        auto st = m_db.cached(kInsert);
        const qint64 now = nowMs();
        const QByteArray authorUtf8 = author.toUtf8();
        Scratch scratch;
        Id first = 0;
        for (const Annotation &a : annotations) {
            bindAnnotation(*st, a, authorUtf8, now, scratch);
            st->step();
            st->rewind();
            if (!first)
                first = m_db.lastInsertId();
        }
        if (!annotations.isEmpty())
            m_audit.append(author, QStringLiteral("annotation.import"), QStringLiteral("annotation"), first, {},
                           {{QStringLiteral("count"), annotations.size()}, {QStringLiteral("first"), first},
                            {QStringLiteral("last"), m_db.lastInsertId()}});
        tx.commit();
        return qint64(annotations.size());
    });
}

Status AnnotationRepository::forEach(const std::function<bool(const Annotation &)> &fn)
{
    return guarded(QStringLiteral("annotations"), [&]() -> Status {
        const QByteArray sql = QByteArray(kSelect) + " ORDER BY id";
        Statement st = m_db.prepare(sql.constData());
        while (st.step())
            if (!fn(readAnnotation(st)))
                break;
        return {};
    });
}

Status AnnotationRepository::forEachLabel(const std::function<bool(const Annotation &)> &fn)
{
    return guarded(QStringLiteral("annotations"), [&]() -> Status {
        Statement st = m_db.prepare("SELECT id, item_id, class_id, kind, x, y, w, h, points, run_id, score, attributes "
                                    "FROM annotations ORDER BY id");
        Annotation a;
        while (st.step()) {
            a.id = st.int64(0);
            a.itemId = st.int64(1);
            a.classId = st.int64(2);
            a.kind = kindFromUtf8(st.utf8(3));
            a.box = st.isNull(4) ? QRectF() : QRectF(st.real(4), st.real(5), st.real(6), st.real(7));
            a.polygon = st.isNull(8) ? QPolygonF() : decodePoints(borrowed(st.blobView(8)));
            a.runId = st.isNull(9) ? std::nullopt : std::optional<Id>(st.int64(9));
            a.score = st.isNull(10) ? std::nullopt : std::optional<double>(st.real(10));
            a.attributes = st.isNull(11) ? QJsonObject() : QJsonDocument::fromJson(borrowed(st.blobView(11))).object();
            if (!fn(a))
                break;
        }
        return {};
    });
}

Result<QVector<QPair<Id, qint64>>> AnnotationRepository::countsByClass()
{
    return guarded(QStringLiteral("annotations"), [&]() -> Result<QVector<QPair<Id, qint64>>> {
        auto st = m_db.cached("SELECT class_id, count(*) FROM annotations GROUP BY class_id ORDER BY class_id");
        QVector<QPair<Id, qint64>> out;
        while (st->step())
            out.append({st->int64(0), st->int64(1)});
        return out;
    });
}

Result<qint64> AnnotationRepository::count()
{
    return guarded(QStringLiteral("annotations"), [&]() -> Result<qint64> {
        auto st = m_db.cached("SELECT count(*) FROM annotations");
        st->step();
        return qint64(st->int64(0));
    });
}

Result<qint64> AnnotationRepository::countForItem(Id itemId)
{
    return guarded(QStringLiteral("item %1: annotations").arg(itemId), [&]() -> Result<qint64> {
        auto st = m_db.cached("SELECT count(*) FROM annotations WHERE item_id=?");
        st->bind(1, itemId);
        st->step();
        return qint64(st->int64(0));
    });
}

Result<Id> AnnotationRepository::maxId()
{
    return guarded(QStringLiteral("annotations"), [&]() -> Result<Id> {
        auto st = m_db.cached("SELECT coalesce(max(id), 0) FROM annotations");
        st->step();
        return Id(st->int64(0));
    });
}

Status AnnotationRepository::insertWords(Id itemId, const QVector<Word> &words)
{
    return guarded(QStringLiteral("item %1: words").arg(itemId), [&]() -> Status {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO words(item_id, idx, text, x, y, w, h, confidence, source) "
                              "VALUES (?,?,?,?,?,?,?,?,?)");
        for (const Word &w : words) {
            st->bind(1, itemId).bind(2, w.index).bind(3, w.text).bind(4, w.box.x()).bind(5, w.box.y())
                .bind(6, w.box.width()).bind(7, w.box.height()).bind(8, w.confidence).bind(9, toText(w.source));
            st->step();
            st->reset();
        }
        tx.commit();
        return {};
    });
}

Result<QVector<Word>> AnnotationRepository::words(Id itemId)
{
    return guarded(QStringLiteral("item %1: words").arg(itemId), [&]() -> Result<QVector<Word>> {
        auto st = m_db.cached("SELECT id, item_id, idx, text, x, y, w, h, confidence, source FROM words "
                              "WHERE item_id=? ORDER BY idx");
        st->bind(1, itemId);
        QVector<Word> out;
        while (st->step())
            out.append(Word{st->int64(0), st->int64(1), st->integer(2), st->text(3),
                            QRectF(st->real(4), st->real(5), st->real(6), st->real(7)), st->real(8),
                            wordSourceFromString(st->text(9)).value_or(WordSource::Imported)});
        return out;
    });
}

Status AnnotationRepository::updateWord(const Word &w)
{
    return guarded(QStringLiteral("word %1").arg(w.id), [&]() -> Status {
        auto st = m_db.cached("UPDATE words SET idx=?, text=?, x=?, y=?, w=?, h=?, confidence=? WHERE id=?");
        st->bind(1, w.index).bind(2, w.text).bind(3, w.box.x()).bind(4, w.box.y()).bind(5, w.box.width())
            .bind(6, w.box.height()).bind(7, w.confidence).bind(8, w.id);
        st->exec();
        st->reset();
        if (m_db.changes() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("word %1 does not exist").arg(w.id));
        return {};
    });
}

Result<QVector<Word>> AnnotationRepository::replaceWords(Id itemId, const QVector<Id> &removedIds,
                                                         const QVector<Word> &added)
{
    return guarded(QStringLiteral("item %1: words").arg(itemId), [&]() -> Result<QVector<Word>> {
        Transaction tx(m_db);
        auto del = m_db.cached("DELETE FROM words WHERE id=? AND item_id=?");
        for (Id id : removedIds) {
            del->bind(1, id).bind(2, itemId);
            del->exec();
            del->reset();
            if (m_db.changes() == 0)
                return makeError(ErrorCode::NotFound, QStringLiteral("word %1 of item %2 does not exist").arg(id).arg(itemId));
        }
        auto ins = m_db.cached("INSERT INTO words(id, item_id, idx, text, x, y, w, h, confidence, source) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?)");
        QVector<Word> out;
        for (Word w : added) {
            if (w.id)
                ins->bind(1, w.id);
            else
                ins->bindNull(1);
            ins->bind(2, itemId).bind(3, w.index).bind(4, w.text).bind(5, w.box.x()).bind(6, w.box.y())
                .bind(7, w.box.width()).bind(8, w.box.height()).bind(9, w.confidence).bind(10, toText(w.source));
            ins->exec();
            ins->reset();
            w.id = m_db.lastInsertId();
            w.itemId = itemId;
            out.append(w);
        }
        tx.commit();
        return out;
    });
}

} // namespace annotune::core::store
