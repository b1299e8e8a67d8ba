// An assistant's text as the user must read it before it goes out: each hidden character drawn as
// a labelled marker where it sits, each written link with its real address next to its words.
// Nothing here is a live link: the address is shown, never followed.
import { Fragment } from 'react';
import { revealHidden, revealLinks } from '../../../src-shared/compose/revealText';

export function RevealedText({ text, className }: { text: string; className?: string }) {
  return (
    // `unicode-bidi: plaintext` in CSS, and every control drawn as a marker, so nothing in the text
    // can reorder what is shown around it.
    <p className={`revealed-text ${className ?? ''}`}>
      {revealLinks(text).map((piece, index) =>
        piece.kind === 'text' ? (
          <Visible key={index} text={piece.text} />
        ) : (
          <span key={index} className="revealed-link">
            <span className="revealed-link-words">
              <Visible text={piece.words} />
            </span>
            <span className="revealed-link-address">
              {' '}
              → links to <Visible text={piece.address} />
            </span>
          </span>
        ),
      )}
    </p>
  );
}

function Visible({ text }: { text: string }) {
  return (
    <>
      {revealHidden(text).map((piece, index) =>
        piece.kind === 'text' ? (
          <Fragment key={index}>{piece.text}</Fragment>
        ) : (
          <mark key={index} className="hidden-char" title={`${piece.codePoint} ${piece.name}: a character that draws nothing or reorders the text`}>
            ⟦{piece.codePoint} {piece.name}⟧
          </mark>
        ),
      )}
    </>
  );
}
